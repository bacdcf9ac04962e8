// The database drivers the CLI loads on demand: `mssql` (with `tedious`, which knex's mssql client
// loads itself) and `oracledb` are optional peers, so a SQL Server or Oracle user installs them and
// everyone else does not. A missing one is one line naming what to install, before anything connects.

import { createRequire } from 'node:module';
import { FerryError } from '@ferry/core';

const require = createRequire(import.meta.url);

/** The packages a source client needs besides knex. */
export const DRIVER_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  mssql: ['mssql', 'tedious'],
  oracledb: ['oracledb'],
  mysql2: ['mysql2'],
  pg: ['pg'],
  'better-sqlite3': ['better-sqlite3'],
};

const installed = (name: string, resolve: (name: string) => string): boolean => {
  try {
    resolve(name);
    return true;
  } catch {
    return false;
  }
};

/**
 * Throws `FERRY_DRIVER_MISSING` when a package the client needs cannot be loaded.
 *
 * @example
 * ```ts
 * requireDriver('oracledb'); // FerryError: source client oracledb needs the package oracledb: npm install oracledb
 * ```
 */
export function requireDriver(client: string, resolve: (name: string) => string = require.resolve): void {
  const missing = (DRIVER_PACKAGES[client] ?? []).filter((name) => !installed(name, resolve));
  if (missing.length === 0) return;
  const plural = missing.length > 1 ? 's' : '';
  throw new FerryError(
    `source client ${client} needs the package${plural} ${missing.join(' and ')}: npm install ${missing.join(' ')}`,
    { code: 'FERRY_DRIVER_MISSING', reason: 'invalid-config', operation: 'connect' },
  );
}

/** Loads a driver package the CLI resolves (after {@link requireDriver}). */
export function loadDriver<T>(name: string): T {
  return require(name) as T;
}
