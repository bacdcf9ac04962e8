// The classifier of the knex source: MariaDB/MySQL errno, PostgreSQL SQLSTATE (the postgres adapter's
// table, shared), SQLite result codes and Node socket codes become a Ferry reason; tedious errors
// (knex's mssql client) go to the SQL Server classifier.
// Driver messages can quote row values (MariaDB's "Duplicate entry '...'"), so they stay in `cause`.

import { isFerryError } from '@ferry/core';
import type { FerryError, FerryErrorReason } from '@ferry/core';
import { classifyMssqlError, MSSQL_DRIVER_CODES, mssqlErrorNumber } from '../mssql/mssql-error-classifier.js';
import { postgresReason } from '../postgres/postgres-errors.js';
import { sourceReadError } from '../shared/read-errors.js';
import type { SourceErrorContext } from '../shared/read-errors.js';

const MARIADB_ERRNO: Readonly<Record<number, FerryErrorReason>> = {
  1213: 'deadlock', // ER_LOCK_DEADLOCK
  1205: 'timeout', // ER_LOCK_WAIT_TIMEOUT
  3024: 'timeout', // ER_QUERY_TIMEOUT (max_execution_time)
  1969: 'timeout', // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  1062: 'unique-violation', // ER_DUP_ENTRY
  1586: 'unique-violation', // ER_DUP_ENTRY_WITH_KEY_NAME
  1451: 'constraint', // ER_ROW_IS_REFERENCED_2
  1452: 'constraint', // ER_NO_REFERENCED_ROW_2
  1048: 'constraint', // ER_BAD_NULL_ERROR
  1045: 'authentication', // ER_ACCESS_DENIED_ERROR
  1044: 'authentication', // ER_DBACCESS_DENIED_ERROR
  1142: 'permission', // ER_TABLEACCESS_DENIED_ERROR
  1143: 'permission', // ER_COLUMNACCESS_DENIED_ERROR
  1146: 'not-found', // ER_NO_SUCH_TABLE
  1049: 'not-found', // ER_BAD_DB_ERROR
  1054: 'not-found', // ER_BAD_FIELD_ERROR
  1040: 'connection', // ER_CON_COUNT_ERROR
  1053: 'connection', // ER_SERVER_SHUTDOWN
  2002: 'connection', // CR_CONNECTION_ERROR
  2003: 'connection', // CR_CONN_HOST_ERROR
  2006: 'connection', // CR_SERVER_GONE_ERROR
  2013: 'connection', // CR_SERVER_LOST
};

const NODE_CODES: Readonly<Record<string, FerryErrorReason>> = {
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  EPIPE: 'connection',
  ENOTFOUND: 'connection',
  EHOSTUNREACH: 'connection',
  PROTOCOL_CONNECTION_LOST: 'connection',
  ETIMEDOUT: 'timeout',
  SQLITE_BUSY: 'timeout',
  SQLITE_LOCKED: 'timeout',
  SQLITE_AUTH: 'authentication',
  SQLITE_CANTOPEN: 'not-found',
};

function sqliteReason(code: string, message: string): FerryErrorReason | undefined {
  if (code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return 'unique-violation';
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  if (code === 'SQLITE_ERROR' && /no such (table|column)/.test(message)) return 'not-found';
  return undefined;
}

/**
 * A tedious error (knex's mssql client): `EREQUEST` with the server's number in `number`, `ETIMEOUT`,
 * `ESOCKET`, ... or an AggregateError of them. mysql2 and pg never use these codes.
 */
function isTediousError(error: object): boolean {
  const nested = (error as { errors?: unknown }).errors;
  const first: unknown = Array.isArray(nested) && nested.length > 0 ? nested[0] : error;
  const code = (first as { code?: unknown } | null)?.code;
  return typeof code === 'string' && MSSQL_DRIVER_CODES.has(code);
}

/**
 * The Ferry reason of an error thrown through knex by mysql2, pg, better-sqlite3, tedious or the socket.
 *
 * @example
 * ```ts
 * classifyKnexError({ errno: 1213, code: 'ER_LOCK_DEADLOCK' }) // 'deadlock'
 * ```
 */
export function classifyKnexError(error: unknown): FerryErrorReason {
  if (typeof error !== 'object' || error === null) return 'unknown';
  if (isTediousError(error)) return classifyMssqlError(error);
  const { errno, code, name, message } = error as {
    errno?: unknown;
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const text = typeof message === 'string' ? message : '';
  if (name === 'KnexTimeoutError') return 'timeout';
  if (typeof code === 'string') {
    const sqlite = sqliteReason(code, text);
    if (sqlite !== undefined) return sqlite;
    const reason = NODE_CODES[code];
    if (reason !== undefined) return reason;
  }
  // mysql2 puts the errno in `errno`; socket errors carry a negative errno and a string code.
  if (typeof errno === 'number' && errno > 0) {
    const reason = MARIADB_ERRNO[errno];
    if (reason !== undefined) return reason;
  }
  // pg errors carry a five-character SQLSTATE in `code` (mysql2 codes are ER_* names).
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return postgresReason(code, text);
  return 'unknown';
}

/** Where a knex read failed, for {@link toKnexFerryError}. */
export type KnexErrorContext = SourceErrorContext;

/**
 * Wraps a driver error as a {@link FerryError} (code `FERRY_SOURCE_READ`) with the classified reason;
 * the message names the entity and the native code, never the driver's text (it may quote values).
 */
export function toKnexFerryError(error: unknown, context: KnexErrorContext): FerryError {
  if (isFerryError(error)) return error;
  const native = (error as { code?: unknown; errno?: unknown } | null) ?? {};
  const sqlServer = mssqlErrorNumber(error);
  const code =
    sqlServer !== undefined
      ? `SQL Server error ${sqlServer}`
      : typeof native.code === 'string'
        ? native.code
        : typeof native.errno === 'number'
          ? native.errno
          : '?';
  return sourceReadError(error, classifyKnexError(error), context, `native code ${code}`);
}
