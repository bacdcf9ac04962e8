// From a CLI session to the options of @ferry/adapters/migration: the same description of the
// migration for `run` and `verify`, so they read, map and compare identically.

import type { O11MigrationOptions } from '@ferry/adapters/migration';
import type { CliSession } from './cli-session.js';
import { loadUserMap } from './user-map-load.js';

/** The migration options of a session, for the given entities. */
export async function migrationOptions(
  session: CliSession,
  entities: readonly string[],
): Promise<O11MigrationOptions> {
  const { config } = session.loaded;
  const target = config.target.kind === 'postgres' ? config.target : undefined;
  const [db, catalog, mapping, pool, checkpoints, userMap] = await Promise.all([
    session.source(),
    session.catalog(),
    session.compiled(),
    session.target(),
    session.checkpoints(),
    loadUserMapOnce(session),
  ]);
  const schema =
    config.source.kind === 'o11-sql' && config.source.client === 'mssql' ? { schema: 'dbo' } : {};
  return {
    source: { knex: db, ...schema },
    catalog,
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
  };
}

const maps = new WeakMap<CliSession, ReturnType<typeof loadUserMap>>();

function loadUserMapOnce(session: CliSession): ReturnType<typeof loadUserMap> {
  let map = maps.get(session);
  if (map === undefined) {
    map = loadUserMap(session);
    maps.set(session, map);
  }
  return map;
}
