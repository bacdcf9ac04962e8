// Opens the O11 source database of a config as a knex instance with exact-type driver settings, and
// proves it reachable with one round trip before any command relies on it.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FerryError } from '@ferry/core';
import { withExactTypes } from '@ferry/adapters/knex';
import type { Knex } from 'knex';
import type { O11SqlSourceConfig } from '../kinds/sources/o11-sql/o11-sql-config.js';
import { resolveEnv } from '../config/env-resolve.js';
import { requireDriver } from './driver-require.js';
import { knexMssqlConnection, sqlServerConfig } from './sqlserver-connect.js';
import { unreachable } from './unreachable.js';

type SqlSource = O11SqlSourceConfig;

const require = createRequire(import.meta.url);

const quiet = (): void => undefined;

/** A label for messages: which source and where its connection came from (never the value). */
export function sourceLabel(source: SqlSource): string {
  if (source.client === 'better-sqlite3') return `source database (SQLite file ${source.filename ?? '?'})`;
  return `source database (${source.client}, env ${source.connection?.env ?? '?'})`;
}

async function connectionOf(
  source: SqlSource,
  baseDir: string,
  env: NodeJS.ProcessEnv,
): Promise<NonNullable<Knex.Config['connection']>> {
  if (source.client === 'better-sqlite3') {
    if (source.filename === undefined) {
      throw new FerryError('source.filename is required for client better-sqlite3', {
        code: 'FERRY_CONFIG_INVALID',
        reason: 'invalid-config',
        operation: 'config.resolve',
      });
    }
    const filename = resolve(baseDir, source.filename);
    // better-sqlite3 would create an empty file for a wrong path.
    if (!existsSync(filename)) {
      throw unreachable(
        sourceLabel(source),
        Object.assign(new Error('no such file'), { code: 'SQLITE_CANTOPEN' }),
      );
    }
    return { filename };
  }
  if (source.connection === undefined) {
    throw new FerryError(`source.connection ({ "env": "NAME" }) is required for client ${source.client}`, {
      code: 'FERRY_CONFIG_INVALID',
      reason: 'invalid-config',
      operation: 'config.resolve',
    });
  }
  const url = resolveEnv(source.connection, 'source.connection', env);
  if (source.client !== 'mssql') return url;
  return knexMssqlConnection(await sqlServerConfig(url, source.connection.env));
}

/** Opens and probes the source; an unreachable database gives `FERRY_UNREACHABLE`. */
export async function connectSource(
  source: SqlSource,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
  poolMax = 4,
): Promise<Knex> {
  requireDriver(source.client);
  const connection = await connectionOf(source, baseDir, env);
  const knexFactory = require('knex') as (config: Knex.Config) => Knex;
  const sqlite = source.client === 'better-sqlite3';
  const db = knexFactory(
    withExactTypes({
      client: source.client,
      connection,
      useNullAsDefault: sqlite,
      pool: sqlite ? { min: 1, max: 1 } : { min: 0, max: poolMax, acquireTimeoutMillis: 15_000 },
      acquireConnectionTimeout: 15_000,
      // knex logs pool errors with the host and port itself; failures reach the user through ours.
      log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
    }),
  );
  try {
    await db.raw(source.client === 'oracledb' ? 'SELECT 1 FROM DUAL' : 'SELECT 1');
    return db;
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw unreachable(sourceLabel(source), error);
  }
}
