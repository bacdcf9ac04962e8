// Unit tests of the SQL Server source without a server: the SQL it sends (first page, next page with a
// bigint key beyond 2^53, composite key, isolation), the normalisation of driver values, the error
// classifier, the pool config, and a read through a hand-written fake pool.

import { describe, expect, test } from 'vitest';
import sql from 'mssql';
import { FerryError } from '@ferry/core';
import type { Row } from '@ferry/core';
import {
  classifyMssqlError,
  countStatement,
  mssqlSource,
  pageStatement,
  toMssqlFerryError,
} from '@ferry/adapters/mssql';
import type { MssqlPoolLike, MssqlTable } from '@ferry/adapters/mssql';
import { normalizeColumnValue } from '@ferry/adapters/knex';

const order: MssqlTable = {
  schema: 'dbo',
  table: 'OSUSR_S2M_ORDER',
  columns: [
    { name: 'ID', kind: 'bigint' },
    { name: 'CUSTOMERNAME', kind: 'text' },
    { name: 'TOTAL', kind: 'decimal' },
    { name: 'ORDEREDAT', kind: 'datetime' },
    { name: 'ISPAID', kind: 'boolean' },
  ],
  key: [{ name: 'ID', kind: 'bigint' }],
};

describe('pageStatement', () => {
  test('first page', () => {
    expect(pageStatement(order, undefined, 1000)).toEqual({
      sql:
        'SELECT TOP (@n) CAST([src].[ID] AS varchar(64)) AS [ID], [src].[CUSTOMERNAME], CAST([src].[TOTAL] AS varchar(64)) AS [TOTAL], ' +
        'CONVERT(varchar(33), [src].[ORDEREDAT], 126) AS [ORDEREDAT], [src].[ISPAID] FROM [dbo].[OSUSR_S2M_ORDER] AS [src] ORDER BY [src].[ID];',
      params: [{ name: 'n', type: 'int', value: 1000 }],
    });
  });

  test('next page after a bigint key beyond 2^53 binds it as a BigInt string', () => {
    const statement = pageStatement(order, ['9007199254740993'], 500);
    expect(statement.sql).toContain(
      ' FROM [dbo].[OSUSR_S2M_ORDER] AS [src] WHERE [src].[ID] > @k0 ORDER BY [src].[ID];',
    );
    expect(statement.params).toEqual([
      { name: 'n', type: 'int', value: 500 },
      { name: 'k0', type: 'bigint', value: '9007199254740993' },
    ]);
  });

  test('composite key: leading range predicate for the planner, typed parameters', () => {
    const productTag: MssqlTable = {
      table: 'OSUSR_K7C_PRODUCTTAG',
      columns: [{ name: 'PRODUCTID', kind: 'integer' }, { name: 'TAGID', kind: 'integer' }, { name: 'NOTE' }],
      key: [
        { name: 'PRODUCTID', kind: 'integer' },
        { name: 'TAGID', kind: 'integer' },
      ],
    };
    const statement = pageStatement(productTag, ['12', '7'], 10);
    expect(statement.sql).toBe(
      'SELECT TOP (@n) [src].[PRODUCTID], [src].[TAGID], [src].[NOTE] FROM [OSUSR_K7C_PRODUCTTAG] AS [src] ' +
        'WHERE [src].[PRODUCTID] >= @k0 AND ([src].[PRODUCTID] > @k0 OR ([src].[PRODUCTID] = @k0 AND [src].[TAGID] > @k1)) ' +
        'ORDER BY [src].[PRODUCTID], [src].[TAGID];',
    );
    expect(statement.params).toEqual([
      { name: 'n', type: 'int', value: 10 },
      { name: 'k0', type: 'int', value: 12 },
      { name: 'k1', type: 'int', value: 7 },
    ]);
  });

  test('read-uncommitted wraps the page and resets the session; snapshot is a transaction, not a prefix', () => {
    expect(pageStatement(order, undefined, 1, 'read-uncommitted').sql).toMatch(
      /^SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SELECT TOP .* SET TRANSACTION ISOLATION LEVEL READ COMMITTED;$/,
    );
    expect(pageStatement(order, undefined, 1, 'snapshot').sql).toMatch(/^SELECT TOP /);
  });

  test('count after a position', () => {
    expect(countStatement(order, ['9007199254741000'])).toEqual({
      sql: 'SELECT COUNT_BIG(*) AS n FROM [dbo].[OSUSR_S2M_ORDER] AS [src] WHERE [src].[ID] > @k0;',
      params: [{ name: 'k0', type: 'bigint', value: '9007199254741000' }],
    });
  });
});

describe('normalisation of what mssql returns', () => {
  // [what the driver returns (after Ferry's SQL casts), column kind, Ferry value]
  const table: [string, unknown, Parameters<typeof normalizeColumnValue>[1], unknown][] = [
    ['datetime via CONVERT 126', '1900-01-01T00:00:00', 'datetime', '1900-01-01T00:00:00'],
    ['datetime with ms', '3000-12-31T23:59:59.997', 'datetime', '3000-12-31T23:59:59.997'],
    ['datetime2(7)', '2024-02-29T10:11:12.1234500', 'datetime', '2024-02-29T10:11:12.12345'],
    ['O11 date stored as datetime', '2024-02-29T00:00:00', 'date', '2024-02-29'],
    ['O11 time stored as datetime', '1900-01-01T13:45:30', 'time', '13:45:30'],
    [
      'datetime without kind (useUTC Date)',
      new Date(Date.UTC(1900, 0, 1, 0, 0, 0)),
      undefined,
      '1900-01-01T00:00:00',
    ],
    [
      'decimal(37,8) via CAST',
      '-99999999999999999999999999999.99999999',
      'decimal',
      '-99999999999999999999999999999.99999999',
    ],
    ['bigint (tedious string)', '9007199254740993', 'bigint', '9007199254740993'],
    ['int', 42, 'integer', 42],
    ['bit true', true, 'boolean', true],
    ['bit false', false, 'boolean', false],
    ['image / varbinary(max)', Buffer.from([0, 255, 1]), 'binary', Buffer.from([0, 255, 1])],
    ['empty binary (O11 default)', Buffer.alloc(0), 'binary', Buffer.alloc(0)],
    ['nvarchar(max)', 'x'.repeat(100_000), 'text', 'x'.repeat(100_000)],
    ['nvarchar emoji', 'Zoë 🚀 e\u0301', 'text', 'Zoë 🚀 e\u0301'],
    [
      'uniqueidentifier',
      'A1B2C3D4-0000-4000-A000-000000000001',
      undefined,
      'A1B2C3D4-0000-4000-A000-000000000001',
    ],
    ['NULL reference', null, 'integer', null],
  ];
  test.each(table)('%s', (_label, driver, kind, expected) => {
    expect(normalizeColumnValue(driver, kind, 'utc')).toEqual(expected);
  });
});

describe('classifyMssqlError', () => {
  const cases: [string, unknown, string][] = [
    ['deadlock 1205', { code: 'EREQUEST', number: 1205 }, 'deadlock'],
    ['login 18456', { code: 'ELOGIN', originalError: { info: { number: 18456 } } }, 'authentication'],
    ['ELOGIN without number', { code: 'ELOGIN' }, 'authentication'],
    ['unique 2627', { number: 2627 }, 'unique-violation'],
    ['unique index 2601', { number: 2601 }, 'unique-violation'],
    ['constraint 547', { number: 547 }, 'constraint'],
    ['timeout -2', { number: -2 }, 'timeout'],
    ['ETIMEOUT', { code: 'ETIMEOUT' }, 'timeout'],
    ['lock timeout 1222', { number: 1222 }, 'timeout'],
    ['invalid object 208', { number: 208 }, 'not-found'],
    ['snapshot conflict 3960', { number: 3960 }, 'serialization'],
    ['snapshot not allowed 3952', { number: 3952 }, 'invalid-config'],
    ['ESOCKET', { code: 'ESOCKET' }, 'connection'],
    ['ECONNCLOSED', { code: 'ECONNCLOSED' }, 'connection'],
    ['wrapped socket error', { code: 'EREQUEST', originalError: { code: 'ESOCKET' } }, 'connection'],
    ['Azure busy 40501', { number: 40501 }, 'rate-limit'],
    ['unknown number', { number: 50000 }, 'unknown'],
    ['not an error', undefined, 'unknown'],
  ];
  test.each(cases)('%s', (_label, error, reason) => {
    expect(classifyMssqlError(error)).toBe(reason);
  });

  test('the message names entity and number, not the server text', () => {
    const native = Object.assign(
      new Error('Violation of PRIMARY KEY constraint. The duplicate key value is (secret).'),
      {
        number: 2627,
      },
    );
    const error = toMssqlFerryError(native, { entity: 'Sales.Order', operation: 'read' });
    expect(error.message).toBe('read of Sales.Order failed on SQL Server (unique-violation, error 2627)');
    expect(error.cause).toBe(native);
  });
});

/** A fake pool over an in-memory table that evaluates the one-column keyset page the source sends. */
function fakePool(ids: bigint[]): {
  pool: MssqlPoolLike;
  sent: { sql: string; inputs: [string, unknown, unknown][] }[];
} {
  const sent: { sql: string; inputs: [string, unknown, unknown][] }[] = [];
  const pool: MssqlPoolLike = {
    request() {
      const inputs: [string, unknown, unknown][] = [];
      return {
        input(name: string, type: unknown, value: unknown) {
          inputs.push([name, type, value]);
          return this;
        },
        async query(command: string) {
          sent.push({ sql: command, inputs });
          if (command.includes('sys.columns')) return { recordset: [] };
          const n = inputs.find(([name]) => name === 'n')![2] as number;
          const after = inputs.find(([name]) => name === 'k0')?.[2] as string | undefined;
          const rows = ids.filter((id) => after === undefined || id > BigInt(after)).slice(0, n);
          return { recordset: rows.map((id) => ({ ID: id.toString(), AMOUNT: `${id % 100n}.50000000` })) };
        },
      };
    },
  };
  return { pool, sent };
}

test('mssqlSource reads in pages, binds sql.BigInt, resumes exactly after a key beyond 2^53', async () => {
  const ids = Array.from({ length: 10 }, (_, i) => 9007199254740993n + BigInt(i));
  const { pool, sent } = fakePool(ids);
  const source = mssqlSource({
    pool,
    table: 'OSUSR_S2M_ORDER',
    key: ['ID'],
    columns: [
      { name: 'ID', kind: 'bigint' },
      { name: 'AMOUNT', kind: 'decimal' },
    ],
  });
  const rows: Row[] = [];
  const positions: unknown[] = [];
  for await (const batch of source.read({ batchSize: 4 })) {
    rows.push(...batch.rows);
    positions.push(batch.position);
  }
  expect(rows.map((r) => r.ID)).toEqual(ids.map(String));
  expect(positions).toEqual([
    { key: ['9007199254740996'] },
    { key: ['9007199254741000'] },
    { key: ['9007199254741002'] },
  ]);
  expect(sent[2]!.inputs).toContainEqual(['k0', sql.BigInt, '9007199254740996']);
  const resumed: Row[] = [];
  for await (const batch of source.read({ batchSize: 100, after: { key: ['9007199254741000'] } }))
    resumed.push(...batch.rows);
  expect(resumed.map((r) => r.ID)).toEqual(['9007199254741001', '9007199254741002']);
});

test('mssqlSource refuses bad identifiers and foreign positions', async () => {
  const { pool } = fakePool([]);
  expect(() => mssqlSource({ pool, table: 'x]; drop table y', key: ['ID'], columns: ['ID'] })).toThrow(
    FerryError,
  );
  const source = mssqlSource({ pool, table: 'T', key: ['ID'], columns: ['ID'] });
  const reading = (async () => {
    for await (const _ of source.read({ batchSize: 1, after: { line: 3 } })) break;
  })();
  await expect(reading).rejects.toMatchObject({ reason: 'invalid-config' });
});

test('an mssql ConnectionPool satisfies the structural pool type', () => {
  const pool: MssqlPoolLike = new sql.ConnectionPool({ server: 'localhost' });
  expect(typeof pool.request).toBe('function');
});

test('regression: orders by the table column, not the text alias of a BIGINT key (rows skipped as 1, 10, 2)', () => {
  const t = {
    table: 'OSUSR_S2M_BIG',
    columns: [{ name: 'ID', kind: 'bigint' as const }],
    key: [{ name: 'ID', kind: 'bigint' as const }],
  };
  const { sql } = pageStatement(t, ['9007199254740993'], 5);
  expect(sql).toContain('CAST([src].[ID] AS varchar(64)) AS [ID]');
  // The aliased table column, not the select-list alias; no deprecated three-part name.
  expect(sql).toMatch(/ORDER BY \[src\]\.\[ID\];$/);
});
