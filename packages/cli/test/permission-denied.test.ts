// A login that connects but may not read a table (issue 16 review, item 5): each driver's privilege
// error becomes FERRY_PERMISSION_DENIED naming the table, exit 7, never the login; others stay
// FERRY_UNREACHABLE. Messages are the servers' own wording (PostgreSQL 15, MariaDB 10/11, SQL Server).
import { describe, expect, it } from 'vitest';
import { deniedObject } from '../src/connect/permission-denied.js';
import { unreachable } from '../src/connect/unreachable.js';
import { ExitCode } from '../src/output/exit-codes.js';
import { exitCodeFor, formatError } from '../src/output/format-error.js';

const SIDE = 'source database (mysql2, env O11_URL)';

describe('permission errors', () => {
  it.each<[string, unknown, string]>([
    [
      'PostgreSQL 42501',
      {
        code: '42501',
        message: 'select "ID" from "OSSYS_DBCATALOG" - permission denied for table OSSYS_DBCATALOG',
      },
      'OSSYS_DBCATALOG',
    ],
    [
      'MariaDB 1142',
      {
        errno: 1142,
        code: 'ER_TABLEACCESS_DENIED_ERROR',
        message: "SELECT command denied to user 'ferry_ro'@'localhost' for table `o11`.`OSSYS_DBCATALOG`",
      },
      'OSSYS_DBCATALOG',
    ],
    [
      'MariaDB 1143',
      {
        errno: 1143,
        code: 'ER_COLUMNACCESS_DENIED_ERROR',
        message:
          "SELECT command denied to user 'ferry_ro'@'localhost' for column 'EMAIL' in table 'OSSYS_USER'",
      },
      'OSSYS_USER.EMAIL',
    ],
    [
      'SQL Server 229',
      {
        number: 229,
        message:
          "The SELECT permission was denied on the object 'OSSYS_DBCATALOG', database 'o11', schema 'dbo'.",
      },
      'OSSYS_DBCATALOG',
    ],
    [
      'SQL Server 230 (tedious: in originalError.info)',
      {
        message: 'request failed',
        originalError: {
          info: {
            number: 230,
            message:
              "The SELECT permission was denied on the column 'EMAIL' of the object 'OSSYS_USER', database 'o11', schema 'dbo'.",
          },
        },
      },
      'OSSYS_USER.EMAIL',
    ],
  ])('%s: FERRY_PERMISSION_DENIED naming %s, exit 7, no login', (_, error, object) => {
    const wrapped = unreachable(SIDE, error);
    expect(wrapped.code).toBe('FERRY_PERMISSION_DENIED');
    expect(wrapped.reason).toBe('permission');
    expect(wrapped.retryable).toBe(false);
    expect(wrapped.cause).toBe(error);
    expect(exitCodeFor(wrapped)).toBe(ExitCode.permission);
    const line = formatError(wrapped);
    expect(line).toContain(`may not read ${object}: grant it SELECT on ${object}`);
    expect(line).not.toContain('ferry_ro');
  });

  it('keeps connection and login failures FERRY_UNREACHABLE (exit 5)', () => {
    for (const error of [
      { code: 'ECONNREFUSED' },
      { errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' },
      { code: '28P01' },
    ]) {
      const wrapped = unreachable(SIDE, error);
      expect(wrapped.code).toBe('FERRY_UNREACHABLE');
      expect(exitCodeFor(wrapped)).toBe(ExitCode.unreachable);
    }
  });

  it('names no object it cannot read safely from the message', () => {
    expect(deniedObject('permission denied for table "weird;name"')).toBeUndefined();
    expect(deniedObject('no object here')).toBeUndefined();
    expect(unreachable(SIDE, { code: '42501', message: 'denied' }).message).toContain(
      'may not read a table it needs',
    );
  });
});
