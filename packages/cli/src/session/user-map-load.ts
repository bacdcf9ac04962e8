// The user map of a run: the map `ferry users --apply` wrote (O11 user id → ODC user key) when there is
// one; else O11 users (id, username, email; PASSWORD is never selected) matched to the ODC users listed
// in the config's `users.odcUsersFile`. Without that file every user reference is
// unmatched and follows `users.unmatched` (default: the empty GUID, like the Migration Kit); so is every
// user reference of a JSON source, which has no O11 user table.

import { UserMap, loadOdcUsers } from '@ferry/mapping';
import type { OdcUser } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { CliSession } from './cli-session.js';
import { readUserMapFile, userMapPath } from './user-map-file.js';
import { userMaskOf } from './user-mask-load.js';

/** Reads the O11 users (never the password column). */
export async function readO11Users(db: Knex): Promise<{ id: string; username: string; email: string }[]> {
  const rows = (await db('OSSYS_USER').select('ID', 'USERNAME', 'EMAIL').orderBy('ID')) as {
    ID: string | number;
    USERNAME: string | null;
    EMAIL: string | null;
  }[];
  return rows.map((r) => ({ id: String(r.ID), username: r.USERNAME ?? '', email: r.EMAIL ?? '' }));
}

/** Builds the run's user map from the session's source and config. */
export async function loadUserMap(session: CliSession): Promise<UserMap> {
  const users = session.loaded.config.users;
  // A source without users (JSON exports carry no OSSYS_USER): every user reference is then unmatched
  // (users.unmatched decides).
  const source = session.sourceKind;
  const o11 = source.users === undefined ? [] : await source.users(session, session.loaded.config.source);
  const written = await readUserMapFile(userMapPath(session));
  if (written !== undefined)
    return UserMap.fromIds(
      written,
      o11.map((u) => u.id),
    );
  const odc: OdcUser[] =
    users?.odcUsersFile === undefined ? [] : await loadOdcUsers({ file: session.path(users.odcUsersFile) });
  // A masked mapping: the ODC users hold masked e-mails, so the O11 ones are masked before matching.
  const mask = userMaskOf(await session.mapping(), session.env);
  return UserMap.build(o11, odc, {
    ...(mask === undefined ? {} : { mask }),
    ...(users?.match === undefined ? {} : { match: users.match }),
    ...(users?.usernamePrefix === undefined ? {} : { usernamePrefix: users.usernamePrefix }),
  });
}

const maps = new WeakMap<CliSession, ReturnType<typeof loadUserMap>>();

/** The session's user map, built once. */
export function loadUserMapOnce(session: CliSession): ReturnType<typeof loadUserMap> {
  let map = maps.get(session);
  if (map === undefined) {
    map = loadUserMap(session);
    maps.set(session, map);
  }
  return map;
}
