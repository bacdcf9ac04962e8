// The SQL Server error classifiers fed the exact errors tedious 20 builds (its own RequestError and
// ConnectionError classes, loaded from the mssql install): server errors are `EREQUEST` with the
// number in `.number`, several at once an AggregateError; timeouts `ETIMEOUT`, sockets `ESOCKET`.
// Both paths are covered: `mssql` (mssqlSource) and knex's mssql client (discovery).

import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import { classifyMssqlError, toMssqlFerryError } from '@ferry/adapters/mssql';
import { classifyKnexError, toKnexFerryError } from '@ferry/adapters/knex';
import { discoverO11Catalog } from '@ferry/adapters/o11';

const require = createRequire(import.meta.url);
const tedious = createRequire(require.resolve('mssql'))('tedious') as {
  RequestError: new (message: string, code?: string) => Error & { number?: number };
  ConnectionError: new (message: string, code?: string) => Error;
};

/** What tedious's token handler builds for a server error message (handler.js onErrorMessage). */
function serverError(number: number, message = 'server text quoting (secret)'): Error {
  return Object.assign(new tedious.RequestError(message, 'EREQUEST'), {
    number,
    state: 1,
    class: 16,
    serverName: 'sql1',
    procName: '',
    lineNumber: 1,
  });
}

const shapes: [string, () => unknown, string][] = [
  ['deadlock victim 1205', () => serverError(1205), 'deadlock'],
  ['lock request timeout 1222 (SET LOCK_TIMEOUT)', () => serverError(1222), 'timeout'],
  [
    'request timeout',
    () => new tedious.RequestError('Timeout: Request failed to complete in 15000ms', 'ETIMEOUT'),
    'timeout',
  ],
  [
    'connect timeout',
    () => new tedious.ConnectionError('Failed to connect in 15000ms', 'ETIMEOUT'),
    'timeout',
  ],
  [
    'dropped socket',
    () => new tedious.ConnectionError('Connection lost - read ECONNRESET', 'ESOCKET'),
    'connection',
  ],
  [
    'closed before completion',
    () => new tedious.RequestError('Connection closed before request completed.', 'ECLOSE'),
    'connection',
  ],
  ['Azure failover 40613', () => serverError(40613), 'connection'],
  ['Azure service error 40197', () => serverError(40197), 'connection'],
  ['Azure busy 40501', () => serverError(40501), 'rate-limit'],
  ['object permission 229', () => serverError(229), 'permission'],
  ['column permission 230', () => serverError(230), 'permission'],
  ['Azure resource limit 10928', () => serverError(10928), 'rate-limit'],
  [
    'login failed',
    () => new tedious.ConnectionError("Login failed for user 'ro'.", 'ELOGIN'),
    'authentication',
  ],
  [
    'TLS mismatch',
    () => new tedious.ConnectionError('Server requires encryption', 'EENCRYPT'),
    'invalid-config',
  ],
  ['invalid object 208 (empty database)', () => serverError(208), 'not-found'],
  ['snapshot not allowed 3952', () => serverError(3952), 'invalid-config'],
  ['snapshot conflict 3960', () => serverError(3960), 'serialization'],
  ['canceled', () => new tedious.RequestError('Canceled.', 'ECANCEL'), 'aborted'],
  [
    'two errors of one request (547 then 3621) as an AggregateError',
    () => new AggregateError([serverError(547), serverError(3621)]),
    'constraint',
  ],
  ['unknown server error', () => serverError(50000), 'unknown'],
];

describe('tedious error shapes', () => {
  test.each(shapes)('mssql path: %s', (_label, make, reason) => {
    expect(classifyMssqlError(make())).toBe(reason);
  });

  test.each(shapes)('knex path: %s', (_label, make, reason) => {
    expect(classifyKnexError(make())).toBe(reason);
  });

  test('mssql wraps tedious errors: number copied, originalError kept', () => {
    const sql = require('mssql') as { RequestError: new (e: Error) => Error };
    expect(classifyMssqlError(new sql.RequestError(serverError(1205)))).toBe('deadlock');
  });

  test('messages name the error number, never the server text', () => {
    const knexError = toKnexFerryError(serverError(1205), { entity: 'Sales.Order', operation: 'read' });
    expect(knexError.message).toBe(
      'read of Sales.Order failed (deadlock, native code SQL Server error 1205)',
    );
    expect(knexError.retryable).toBe(true);
    const mssqlError = toMssqlFerryError(serverError(1205), { entity: 'Sales.Order', operation: 'read' });
    expect(mssqlError.message).not.toContain('secret');
    expect(knexError.message).not.toContain('secret');
  });

  test('MariaDB and PostgreSQL errors are not taken for tedious ones', () => {
    expect(classifyKnexError({ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' })).toBe('timeout');
    expect(classifyKnexError({ errno: 1213, code: 'ER_LOCK_DEADLOCK' })).toBe('deadlock');
    expect(classifyKnexError({ code: '40P01' })).toBe('deadlock');
  });
});

/**
 * What `mssql` 12 hands mssqlSource for each tedious error (lib/tedious/request.js and
 * connection-pool.js): a server message becomes `new Error(info.message)` with `.info` wrapped in its
 * RequestError (number from `info.number`); a failed request or login is wrapped as it came, keeping
 * tedious's code (MSSQLError copies `code`, and `number` becomes that code string).
 */
function asMssqlWraps(error: unknown): unknown {
  const mssql = require('mssql') as {
    RequestError: new (e: Error, code?: string) => Error;
    ConnectionError: new (e: Error) => Error;
  };
  if (error instanceof AggregateError) return new AggregateError(error.errors.map(asMssqlWraps));
  const e = error as Error & { number?: number };
  if (typeof e.number === 'number') {
    const info = Object.assign(new Error(e.message), {
      info: {
        number: e.number,
        state: 1,
        class: 16,
        message: e.message,
        serverName: 'sql1',
        procName: '',
        lineNumber: 1,
      },
    });
    return new mssql.RequestError(info, 'EREQUEST');
  }
  return e instanceof tedious.ConnectionError
    ? new mssql.ConnectionError(e)
    : new mssql.RequestError(e, 'EREQUEST');
}

describe('the same shapes as mssql 12 wraps them', () => {
  test.each(shapes)('mssql wrapper: %s', (_label, make, reason) => {
    const wrapped = asMssqlWraps(make());
    expect(wrapped).not.toBe(make());
    expect(classifyMssqlError(wrapped)).toBe(reason);
  });

  test('a wrapped timeout keeps its code, and the message never carries the server text', () => {
    const wrapped = asMssqlWraps(
      new tedious.RequestError('Timeout: Request failed to complete in 1000ms', 'ETIMEOUT'),
    );
    expect(wrapped).toMatchObject({ code: 'ETIMEOUT' });
    const error = toMssqlFerryError(asMssqlWraps(serverError(1205)), {
      entity: 'Sales.Order',
      operation: 'read',
    });
    expect(error).toMatchObject({ reason: 'deadlock', retryable: true });
    expect(error.message).not.toContain('secret');
    expect(error.cause).toBeDefined();
  });
});

/** knex's own mssql client with its connection replaced: every query fails as tedious would. */
function failingMssqlKnex(error: () => Error): Knex {
  const knexRequire = createRequire(require.resolve('knex'));
  const MssqlClient = knexRequire('./lib/dialects/mssql/index.js') as new (config: unknown) => object;
  class Failing extends (MssqlClient as new (config: unknown) => Record<string, unknown>) {
    acquireRawConnection(): Promise<object> {
      return Promise.resolve({});
    }
    validateConnection(): boolean {
      return true;
    }
    destroyRawConnection(): Promise<void> {
      return Promise.resolve();
    }
    _query(): Promise<never> {
      return Promise.reject(error());
    }
  }
  return knexFactory({ client: Failing as unknown as typeof knexFactory.Client, connection: {} });
}

test('regression: an empty SQL Server database gives FERRY_O11_METADATA_MISSING, not "unknown, EREQUEST"', async () => {
  const knex = failingMssqlKnex(() => serverError(208, "Invalid object name 'dbo.OSSYS_ESPACE'."));
  try {
    await expect(discoverO11Catalog(knex, { schema: 'dbo' })).rejects.toMatchObject({
      code: 'FERRY_O11_METADATA_MISSING',
      reason: 'not-found',
    });
  } finally {
    await knex.destroy();
  }
});

test('a deadlock during discovery is retryable', async () => {
  const knex = failingMssqlKnex(() => serverError(1205));
  try {
    await expect(discoverO11Catalog(knex, { schema: 'dbo' })).rejects.toMatchObject({
      code: 'FERRY_SOURCE_READ',
      reason: 'deadlock',
      retryable: true,
    });
  } finally {
    await knex.destroy();
  }
});
