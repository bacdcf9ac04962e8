// From a CLI session to the options of @ferry/adapters/migration: the same description of the
// migration for `run` and `verify`, so they read, map and compare identically. PostgreSQL targets only;
// file and ODC targets are planned by sink-plan.ts from the same source parts and user map.

import type { O11MigrationOptions } from '@ferry/adapters/migration';
import type { CliSession } from './cli-session.js';
import { sourceParts } from './source-parts.js';
import { loadUserMap } from './user-map-load.js';

/** The migration options of a session with a postgres target, for the given entities. */
export async function migrationOptions(
  session: CliSession,
  entities: readonly string[],
  runId?: string,
): Promise<O11MigrationOptions> {
  const { config } = session.loaded;
  const target = config.target.kind === 'postgres' ? config.target : undefined;
  const [parts, mapping, pool, checkpoints, userMap] = await Promise.all([
    sourceParts(session),
    session.compiled(),
    session.target(),
    session.checkpoints(),
    loadUserMapOnce(session),
  ]);
  return {
    ...parts,
    mapping,
    target: {
      pool,
      mode: target?.mode ?? 'copy',
      createTables: target?.createTables === true,
    },
    checkpoints,
    userMap,
    entities,
    ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
    ...(config.partitions === undefined || runId === undefined
      ? {}
      : { partitions: config.partitions, runId }),
  };
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
