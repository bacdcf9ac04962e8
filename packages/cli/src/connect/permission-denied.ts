// A login that connects but may not read a table (or column) is not an unreachable database: a user
// setting up a restricted O11 login needs to know which object to grant. This turns the drivers'
// privilege errors into `FERRY_PERMISSION_DENIED` naming the object, never the login or a password.

import { FerryError } from '@ferry/core';

/** Privilege errors: PostgreSQL SQLSTATE, MariaDB/MySQL errno and code, SQL Server error number. */
const PG_CODES = new Set(['42501']);
const MYSQL_ERRNOS = new Set([1142, 1143]);
const MYSQL_CODES = new Set(['ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR']);
const MSSQL_NUMBERS = new Set([229, 230]);

interface DriverError {
  code?: unknown;
  errno?: unknown;
  number?: unknown;
  message?: unknown;
  info?: { number?: unknown; message?: unknown };
  originalError?: unknown;
  cause?: unknown;
}

/** The first error in the chain (cause, originalError) that is a privilege error. */
function privilegeError(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as DriverError;
    const number = typeof e.number === 'number' ? e.number : e.info?.number;
    if (
      (typeof e.code === 'string' && (PG_CODES.has(e.code) || MYSQL_CODES.has(e.code))) ||
      (typeof e.errno === 'number' && MYSQL_ERRNOS.has(e.errno)) ||
      (typeof number === 'number' && MSSQL_NUMBERS.has(number))
    )
      return e;
    current = e.originalError ?? e.cause;
  }
  return undefined;
}

const IDENTIFIER = /^[\w$#@ ]{1,128}$/u;

/** The last part of a possibly qualified, quoted name (`db`.`T`, "s"."t", [dbo].[T]). */
function lastPart(name: string): string | undefined {
  const part = name
    .split('.')
    .pop()!
    .replace(/^[`'"[]|[`'"\]]$/gu, '');
  return IDENTIFIER.test(part) ? part : undefined;
}

/**
 * The object a privilege error names, from the server's message: PostgreSQL "permission denied for
 * table T", MariaDB "... for table `db`.`T`" / "... for column 'C' in table 'T'", SQL Server "... on the
 * object 'T'" / "on the column 'C' of the object 'T'". Undefined when the message names none.
 */
export function deniedObject(message: string): string | undefined {
  const column =
    /for column [`'"]?([^`'"\s]+)[`'"]? in table (\S+)/u.exec(message) ??
    /on the column '([^']+)' of the object '([^']+)'/u.exec(message);
  if (column !== null) {
    const [table, name] = [lastPart(column[2]!), lastPart(column[1]!)];
    return table === undefined || name === undefined ? table : `${table}.${name}`;
  }
  const table =
    /permission denied for (?:table|relation|view|sequence|schema) (\S+)/u.exec(message) ??
    /for table (\S+)/u.exec(message) ??
    /on the object '([^']+)'/u.exec(message);
  return table === null ? undefined : lastPart(table[1]!);
}

/**
 * `FERRY_PERMISSION_DENIED` (reason `permission`) when `error` is a privilege error, else undefined.
 *
 * @param side What the login belongs to, e.g. `source database (mysql2, env O11_URL)`.
 */
export function permissionDenied(side: string, error: unknown): FerryError | undefined {
  const denied = privilegeError(error);
  if (denied === undefined) return undefined;
  const message = [denied.message, denied.info?.message].filter((m) => typeof m === 'string').join(' ');
  const object = deniedObject(message);
  const what = object === undefined ? 'a table it needs' : object;
  return new FerryError(
    `the login of the ${side} may not read ${what}: grant it SELECT on ${object ?? 'the O11 metadata and entity tables'} (permission denied)`,
    { code: 'FERRY_PERMISSION_DENIED', reason: 'permission', operation: 'read', cause: error },
  );
}
