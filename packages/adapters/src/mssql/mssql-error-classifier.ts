// The SQL Server classifier: error numbers (from `number` or `originalError.info.number`) and the
// mssql/tedious codes (ETIMEOUT, ESOCKET, ELOGIN...) become Ferry reasons, for errors thrown by
// `mssql` and by tedious under knex alike. Server messages can quote values (2627 quotes the
// duplicate key), so they stay in `cause`, out of the message.

import { isFerryError } from '@ferry/core';
import type { FerryError, FerryErrorReason } from '@ferry/core';
import { sourceReadError } from '../shared/read-errors.js';
import type { SourceErrorContext } from '../shared/read-errors.js';

const NUMBERS: Readonly<Record<number, FerryErrorReason>> = {
  1205: 'deadlock', // chosen as deadlock victim
  3960: 'serialization', // snapshot update conflict
  2627: 'unique-violation', // PRIMARY KEY / UNIQUE constraint
  2601: 'unique-violation', // unique index
  547: 'constraint', // FOREIGN KEY / CHECK
  515: 'constraint', // NULL into NOT NULL
  18456: 'authentication', // login failed
  18452: 'authentication', // untrusted domain login
  229: 'permission', // permission denied on object
  230: 'permission', // permission denied on column
  4060: 'not-found', // cannot open database
  208: 'not-found', // invalid object name
  207: 'not-found', // invalid column name
  3952: 'invalid-config', // snapshot isolation not allowed in this database
  [-2]: 'timeout', // client-side query timeout
  1222: 'timeout', // lock request time out
  40501: 'rate-limit', // Azure SQL: service busy
  40613: 'connection', // Azure SQL: database unavailable
  40197: 'connection', // Azure SQL: service error, reconnect
  10053: 'connection',
  10054: 'connection',
  10060: 'connection',
  233: 'connection', // no process on the other end of the pipe
  // tedious's transient list (transient-error-lookup.js) besides 4060: Azure resource limits.
  10928: 'rate-limit',
  10929: 'rate-limit',
  3961: 'serialization', // snapshot isolation: object altered since the snapshot began
};

const CODES: Readonly<Record<string, FerryErrorReason>> = {
  ETIMEOUT: 'timeout',
  ESOCKET: 'connection',
  ECLOSE: 'connection', // tedious: connection closed before the request completed
  ECONNCLOSED: 'connection',
  ECONNRESET: 'connection',
  ECONNREFUSED: 'connection',
  ENOTOPEN: 'connection',
  EINSTLOOKUP: 'connection',
  ELOGIN: 'authentication',
  EFEDAUTH: 'authentication',
  EENCRYPT: 'invalid-config', // server and client disagree on TLS
  ECANCEL: 'aborted',
  EABORT: 'aborted',
};

/** The driver codes tedious and mssql set (`EREQUEST` for a server error with a number). */
export const MSSQL_DRIVER_CODES: ReadonlySet<string> = new Set([...Object.keys(CODES), 'EREQUEST']);

/**
 * The errors to look at: tedious reports several server errors of one request as an AggregateError
 * (547 then 3621 "statement terminated"); the first one that classifies decides.
 */
function errorsOf(error: unknown): readonly unknown[] {
  const nested = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(nested) && nested.length > 0 ? nested : [error];
}

/** The SQL Server error number of an mssql/tedious error, when it has one. */
export function mssqlErrorNumber(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const nested = errorsOf(error);
  if (nested[0] !== error) return nested.map(mssqlErrorNumber).find((n) => n !== undefined);
  const e = error as { number?: unknown; originalError?: { number?: unknown; info?: { number?: unknown } } };
  const candidates = [e.number, e.originalError?.info?.number, e.originalError?.number];
  const found = candidates.find((n) => typeof n === 'number');
  return found;
}

/**
 * The Ferry reason of an `mssql` error: by SQL Server error number first (1205 deadlock, 18456 login,
 * 2627/2601 unique, 547 constraint, -2 timeout, 208 missing object), then by driver code (ETIMEOUT,
 * ESOCKET, ECONNCLOSED, ELOGIN).
 *
 * @example
 * ```ts
 * classifyMssqlError({ code: 'EREQUEST', number: 1205 }) // 'deadlock'
 * ```
 */
export function classifyMssqlError(error: unknown): FerryErrorReason {
  const nested = errorsOf(error);
  if (nested[0] !== error) {
    const reasons = nested.map(classifyMssqlError);
    return reasons.find((r) => r !== 'unknown') ?? 'unknown';
  }
  const number = mssqlErrorNumber(error);
  if (number !== undefined && NUMBERS[number] !== undefined) return NUMBERS[number];
  if (typeof error !== 'object' || error === null) return 'unknown';
  const e = error as { code?: unknown; originalError?: { code?: unknown } };
  for (const code of [e.code, e.originalError?.code]) {
    if (typeof code === 'string' && CODES[code] !== undefined) return CODES[code];
  }
  return 'unknown';
}

/** Wraps an mssql error as `FERRY_SOURCE_READ` naming entity, operation and error number only. */
export function toMssqlFerryError(error: unknown, context: SourceErrorContext): FerryError {
  if (isFerryError(error)) return error;
  const number = mssqlErrorNumber(error);
  const code = (error as { code?: unknown } | null)?.code;
  const native = number !== undefined ? `error ${number}` : typeof code === 'string' ? code : 'no code';
  return sourceReadError(error, classifyMssqlError(error), context, native, 'SQL Server');
}
