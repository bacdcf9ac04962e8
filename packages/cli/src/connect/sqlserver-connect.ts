// SQL Server for the CLI: the connection string (URL or ADO.NET) turned into one config, used both by
// knex's mssql client (catalog discovery, assess) and by the `mssql` pool that reads entity rows
// through mssqlSource (typed keys, cancel on abort, snapshot reads). Errors name the env var only.

import { FerryError, isFerryError } from '@ferry/core';
import type { MssqlPoolConfig, MssqlPoolLike } from '@ferry/adapters/mssql';
import { loadDriver, requireDriver } from './driver-require.js';
import { unreachable } from './unreachable.js';

/** An `mssql` ConnectionPool, as the CLI uses it. */
export interface SqlServerPool extends MssqlPoolLike {
  close(): Promise<unknown>;
}

/**
 * The pool config of a SQL Server connection string; a string that does not parse is
 * `FERRY_CONFIG_INVALID` naming the side and the environment variable, never the value.
 */
export async function sqlServerConfig(connection: string, envName: string): Promise<MssqlPoolConfig> {
  requireDriver('mssql');
  const { mssqlConfig } = await import('@ferry/adapters/mssql');
  try {
    return mssqlConfig(connection);
  } catch (error) {
    const why = isFerryError(error) ? error.message : 'SQL Server connection string could not be read';
    throw new FerryError(`source.connection (env ${envName}): ${why}`, {
      code: 'FERRY_CONFIG_INVALID',
      reason: 'invalid-config',
      operation: 'config.resolve',
    });
  }
}

/** The same settings in the shape knex's mssql client reads (`type` for the authentication). */
export function knexMssqlConnection(config: MssqlPoolConfig): Record<string, unknown> {
  const { authentication_type: type, ...rest } = config;
  return { ...rest, ...(type === undefined ? {} : { type }), options: { ...config.options } };
}

/** Opens an `mssql` pool; an unreachable server is `FERRY_UNREACHABLE` naming `label`. */
export async function connectSqlServerPool(config: MssqlPoolConfig, label: string): Promise<SqlServerPool> {
  const sql = loadDriver<{
    ConnectionPool: new (config: unknown) => SqlServerPool & { connect(): Promise<unknown> };
  }>('mssql');
  const pool = new sql.ConnectionPool({ ...config, pool: { min: 0, max: 8 } });
  try {
    await pool.connect();
    return pool;
  } catch (error) {
    await pool.close().catch(() => undefined);
    throw unreachable(label, error);
  }
}
