// Turns a failed connection attempt into one clear line: which side (source or target), which
// environment variable held the connection, and the network or authentication reason. The connection
// string itself never appears, and the driver's own message (which may quote it) stays in `cause`.

import { FerryError, isFerryError } from '@ferry/core';
import { permissionDenied } from './permission-denied.js';

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ESOCKET: 'socket error',
  ELOGIN: 'login failed',
  ER_ACCESS_DENIED_ERROR: 'access denied',
  ER_BAD_DB_ERROR: 'unknown database',
  '28P01': 'password authentication failed',
  '28000': 'authentication refused',
  '3D000': 'database does not exist',
  SQLITE_CANTOPEN: 'cannot open the database file',
};

const AUTH_CODES = new Set(['ELOGIN', 'ER_ACCESS_DENIED_ERROR', '28P01', '28000']);

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && record.code in NETWORK_CODES) return record.code;
    // AggregateError (node's happy-eyeballs connect) keeps the real errors in `errors`.
    if (Array.isArray(record.errors) && record.errors.length > 0) current = record.errors[0];
    else current = record.cause;
  }
  return undefined;
}

/**
 * Wraps a connection failure as `FERRY_UNREACHABLE` (reason `connection` or `authentication`); a
 * privilege error (the login connects but may not read a table) as `FERRY_PERMISSION_DENIED`.
 *
 * @param side What could not be reached, e.g. `source database (env O11_URL)`.
 */
export function unreachable(side: string, error: unknown): FerryError {
  if (isFerryError(error) && error.code === 'FERRY_UNREACHABLE') return error;
  const denied = permissionDenied(side, error);
  if (denied !== undefined) return denied;
  const code = codeOf(error);
  const why = code === undefined ? 'connection failed' : `${NETWORK_CODES[code]} (${code})`;
  return new FerryError(`cannot reach the ${side}: ${why}`, {
    code: 'FERRY_UNREACHABLE',
    reason: code !== undefined && AUTH_CODES.has(code) ? 'authentication' : 'connection',
    operation: 'connect',
    cause: error,
  });
}
