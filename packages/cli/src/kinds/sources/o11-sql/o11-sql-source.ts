// `source.kind: "o11-sql"`: an O11 database (SQL Server, or a copy on MariaDB, PostgreSQL, SQLite,
// Oracle) read through knex; SQL Server entity rows go through `mssqlSource` on an `mssql` pool.

import { FerryError } from '@ferry/core';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import { readSnapshotNote } from '../../../assess/assess-snapshot.js';
import { resolveEnv } from '../../../config/env-resolve.js';
import { connectSource, sourceLabel } from '../../../connect/source-connect.js';
import { connectSqlServerPool, sqlServerConfig } from '../../../connect/sqlserver-connect.js';
import { unreachable } from '../../../connect/unreachable.js';
import type { CliSession } from '../../../session/cli-session.js';
import { connectionBudget } from '../../../session/connection-budget.js';
import { readO11Users } from '../../../session/user-map-load.js';
import type { SourceKind } from '../../kind-types.js';
import { o11SqlSourceSchema, type O11SqlSourceConfig } from './o11-sql-config.js';

function database(session: CliSession, config: O11SqlSourceConfig) {
  return session.shared(
    'o11-sql.knex',
    () =>
      connectSource(
        config,
        session.loaded.baseDir,
        session.env,
        connectionBudget(session.loaded.config).source,
      ),
    (db) => db.destroy(),
  );
}

/** The `mssql` pool entity rows are read through (the knex serves discovery and assess only). */
function sqlServerPool(session: CliSession, config: O11SqlSourceConfig) {
  return session.shared(
    'o11-sql.mssql',
    async () => {
      if (config.connection === undefined) throw new TypeError('sqlServerPool: the source has no connection');
      const url = resolveEnv(config.connection, 'source.connection', session.env);
      return connectSqlServerPool(await sqlServerConfig(url, config.connection.env), sourceLabel(config));
    },
    async (pool) => void (await pool.close()),
  );
}

/** The O11 database source kind. */
export const o11SqlSource: SourceKind<O11SqlSourceConfig> = {
  kind: 'o11-sql',
  describe: 'an O11 database (SQL Server, or a copy on MariaDB, PostgreSQL, SQLite, Oracle)',
  schema: o11SqlSourceSchema,
  commands: ['discover', 'assess', 'users'],
  database,
  async catalog(session, config) {
    const db = await database(session, config);
    const schema = config.client === 'mssql' ? 'dbo' : undefined;
    return discoverO11Catalog(db, { modules: config.modules, schema }).catch((error: unknown) => {
      if (error instanceof FerryError) throw error;
      throw unreachable(sourceLabel(config), error);
    });
  },
  modules: (config) => config.modules,
  async users(session, config) {
    return readO11Users(await database(session, config));
  },
  async parts(session, config) {
    if (config.client === 'mssql') {
      // SQL Server rows go through mssqlSource: keys typed like their columns, a running page cancelled
      // on abort, SQL Server errors classified, and `isolation: snapshot` as one transaction per table.
      const [pool, catalog] = await Promise.all([sqlServerPool(session, config), session.catalog()]);
      // Loaded here, not at the top: `mssql` is an optional peer that only SQL Server users install.
      const { mssqlSource } = await import('@ferry/adapters/mssql');
      const isolation = config.isolation ?? 'read-committed';
      return {
        source: {
          factory: (spec) => mssqlSource({ pool, ...spec, schema: spec.schema ?? 'dbo', isolation }),
        },
        catalog,
      };
    }
    const [knex, catalog] = await Promise.all([database(session, config), session.catalog()]);
    return { source: { knex }, catalog };
  },
  // SQL Server: whether a snapshot read is possible (isolation: snapshot) and what the default sees.
  assessNotes: async (_session, config, db) =>
    config.client === 'mssql' ? [await readSnapshotNote(db)] : [],
};
