// Unit tests of what the SQL Server source sends, per key column type: the parameter each key binds
// as (its column's own type and length, decimals cast from text), money and float read as lossless
// text, the estimate, the column-type query, and the snapshot read as one transaction.

import { describe, expect, test } from 'vitest';
import sql from 'mssql';
import {
  columnTypesStatement,
  estimateStatement,
  keysetCondition,
  mssqlParamType,
  mssqlSource,
  pageStatement,
  parseColumnTypes,
} from '@ferry/adapters/mssql';
import type { MssqlColumnType, MssqlPoolLike, MssqlRequestLike, MssqlTable } from '@ferry/adapters/mssql';
import { readAll } from '@ferry/core/testing';
import { catalogDatabases } from '@ferry/adapters/o11';

const type = (t: string, length = 0, precision = 0, scale = 0): MssqlColumnType => ({
  type: t,
  length,
  precision,
  scale,
});

const keyed = (
  kind: 'text' | 'decimal' | 'bigint' | 'integer' | undefined,
  t?: MssqlColumnType,
): MssqlTable => ({
  table: 'OSUSR_ABC_T',
  columns: [{ name: 'K', kind }],
  key: [{ name: 'K', kind }],
  ...(t === undefined ? {} : { types: new Map([['K', t]]) }),
});

describe('key parameters follow the key column', () => {
  test.each([
    [
      'varchar(50) under a SQL_* collation binds varchar(50)',
      'text',
      type('varchar', 50),
      '@k0',
      { type: 'varchar', value: 'abc', length: 50 },
    ],
    ['nvarchar(250)', 'text', type('nvarchar', 250), '@k0', { type: 'nvarchar', value: 'abc', length: 250 }],
    ['char(10)', 'text', type('char', 10), '@k0', { type: 'char', value: 'abc', length: 10 }],
    ['nchar(8)', 'text', type('nchar', 8), '@k0', { type: 'nchar', value: 'abc', length: 8 }],
    [
      'uniqueidentifier',
      undefined,
      type('uniqueidentifier', 16),
      '@k0',
      { type: 'uniqueidentifier', value: 'abc' },
    ],
    ['Long Integer', 'bigint', type('bigint', 8, 19), '@k0', { type: 'bigint', value: 'abc' }],
    [
      'decimal(37,8) is cast from text on the server (tedious would go through a float)',
      'decimal',
      type('decimal', 17, 37, 8),
      'CAST(@k0 AS decimal(37,8))',
      { type: 'varchar', value: 'abc', length: 64 },
    ],
    [
      'numeric(38,0) is cast from text too (decimal and numeric are one type)',
      'decimal',
      type('numeric', 17, 38, 0),
      'CAST(@k0 AS decimal(38,0))',
      { type: 'varchar', value: 'abc', length: 64 },
    ],
    [
      'unknown type, text kind: nvarchar(4000), never (max)',
      'text',
      undefined,
      '@k0',
      { type: 'nvarchar', value: 'abc', length: 4000 },
    ],
  ] as const)('%s', (_label, kind, t, placeholder, param) => {
    const condition = keysetCondition(keyed(kind, t), ['abc']);
    expect(condition.sql).toBe(`[src].[K] > ${placeholder}`);
    expect(condition.params).toEqual([{ name: 'k0', ...param }]);
  });

  test('int keys bind as numbers', () => {
    expect(keysetCondition(keyed('integer', type('int', 4, 10)), ['42']).params).toEqual([
      { name: 'k0', type: 'int', value: 42 },
    ]);
  });

  test('each parameter maps to the mssql type with its length', () => {
    const varchar = mssqlParamType({ name: 'k0', type: 'varchar', value: 'a', length: 50 }) as {
      type: unknown;
      length: number;
    };
    expect(varchar.type).toBe(sql.VarChar);
    expect(varchar.length).toBe(50);
    const nvarchar = mssqlParamType({ name: 'k0', type: 'nvarchar', value: 'a', length: 4000 }) as {
      length: number;
    };
    expect(nvarchar.length).toBe(4000);
    expect(mssqlParamType({ name: 'k0', type: 'uniqueidentifier', value: 'a' })).toBe(sql.UniqueIdentifier);
    expect(mssqlParamType({ name: 'k0', type: 'bigint', value: '1' })).toBe(sql.BigInt);
  });
});

describe('money and float keep their digits', () => {
  /** A table whose PRICE, RATE and AMOUNT columns have the given SQL Server types. */
  const priced = (price: MssqlColumnType, rate: MssqlColumnType): MssqlTable => ({
    table: 'EXT_PRICES',
    columns: [
      { name: 'ID', kind: 'integer' },
      { name: 'PRICE', kind: 'decimal' },
      { name: 'RATE', kind: 'decimal' },
      { name: 'AMOUNT', kind: 'decimal' },
    ],
    key: [{ name: 'ID', kind: 'integer' }],
    types: new Map([
      ['PRICE', price],
      ['RATE', rate],
      ['AMOUNT', type('decimal', 17, 37, 8)],
    ]),
  });
  test.each([
    ['money and float', type('money', 8, 19, 4), type('float', 8, 53)],
    ['smallmoney and real', type('smallmoney', 4, 10, 4), type('real', 4, 24)],
  ])(
    '%s: money style 2 (4 decimals), float style 3 (17 digits), decimal plain CAST',
    (_label, price, rate) => {
      const { sql: text } = pageStatement(priced(price, rate), undefined, 10);
      expect(text).toContain('CONVERT(varchar(64), [src].[PRICE], 2) AS [PRICE]');
      expect(text).toContain('CONVERT(varchar(64), [src].[RATE], 3) AS [RATE]');
      expect(text).toContain('CAST([src].[AMOUNT] AS varchar(64)) AS [AMOUNT]');
    },
  );
});

test('the estimate reads sys.dm_db_partition_stats as bigint text, not COUNT(*)', () => {
  expect(estimateStatement({ schema: 'dbo', table: 'OSUSR_ABC_T', columns: [], key: [] })).toEqual({
    sql:
      'SELECT CAST(SUM(s.row_count) AS varchar(20)) AS n FROM sys.dm_db_partition_stats s ' +
      'WHERE s.object_id = OBJECT_ID(@t) AND s.index_id IN (0, 1);',
    params: [{ name: 't', type: 'nvarchar', value: '[dbo].[OSUSR_ABC_T]', length: 4000 }],
  });
});

test('column types: nvarchar lengths in characters, names as given', () => {
  const statement = columnTypesStatement({ schema: 'dbo', table: 'OSUSR_7i3_City', columns: [], key: [] });
  expect(statement.sql).toContain('FROM sys.columns c JOIN sys.types t ON t.user_type_id = c.system_type_id');
  expect(statement.params[0]!.value).toBe('[dbo].[OSUSR_7i3_City]');
  expect(
    parseColumnTypes([
      { name: 'Name', type: 'nvarchar', length: 50, precision: 0, scale: 0 },
      { name: 'BLOB', type: 'varbinary', length: -1, precision: 0, scale: 0 },
    ]),
  ).toEqual(
    new Map([
      ['Name', type('nvarchar', 50)],
      ['BLOB', type('varbinary', -1)],
    ]),
  );
});

/** A pool whose requests record what they send; pages come from `rows` filtered by `k0`. */
function recordingPool(rows: number[]) {
  const log: string[] = [];
  const request = (where: string): MssqlRequestLike => {
    const inputs = new Map<string, unknown>();
    return {
      input(name, _type, value) {
        inputs.set(name, value);
        return this;
      },
      async query(command) {
        log.push(`${where}: ${command.slice(0, 20)}`);
        if (command.includes('sys.columns')) {
          return { recordset: [{ name: 'ID', type: 'int', length: 4, precision: 10, scale: 0 }] };
        }
        const after = inputs.get('k0') as number | undefined;
        const page = rows
          .filter((id) => after === undefined || id > after)
          .slice(0, inputs.get('n') as number);
        return { recordset: page.map((ID) => ({ ID })) };
      },
    };
  };
  const pool: MssqlPoolLike = {
    request: () => request('pool'),
    transaction: () => ({
      begin: async (level?: number) => void log.push(`begin ${level}`),
      commit: async () => void log.push('commit'),
      rollback: async () => void log.push('rollback'),
      request: () => request('tx'),
    }),
  };
  return { pool, log };
}

describe('isolation snapshot', () => {
  const snapshotSource = () => {
    const { pool, log } = recordingPool([1, 2, 3, 4, 5]);
    const columns = [{ name: 'ID', kind: 'integer' as const }];
    return { log, source: mssqlSource({ pool, table: 'T', key: ['ID'], columns, isolation: 'snapshot' }) };
  };

  test('the whole read runs in one SNAPSHOT transaction, committed at the end', async () => {
    const { source, log } = snapshotSource();
    const { rows } = await readAll(source, 2);
    expect(rows.map((r) => r.ID)).toEqual([1, 2, 3, 4, 5]);
    expect(log[0]).toBe('begin 5');
    expect(log.at(-1)).toBe('commit');
    expect(log.filter((l) => l.startsWith('tx: SELECT TOP'))).toHaveLength(3);
    expect(log.filter((l) => l.startsWith('pool: SELECT TOP'))).toHaveLength(0);
  });

  test('a read stopped early rolls back', async () => {
    const { source, log } = snapshotSource();
    for await (const _ of source.read({ batchSize: 2 })) break;
    expect(log.at(-1)).toBe('rollback');
  });
});

test('abort cancels the running request instead of waiting for the page', async () => {
  let cancelled = 0;
  let release: () => void = () => undefined;
  const pool: MssqlPoolLike = {
    request: () => ({
      input() {
        return this;
      },
      query: (command: string) =>
        command.includes('sys.columns')
          ? Promise.resolve({ recordset: [] })
          : new Promise((_, reject) => {
              release = () => reject(Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
            }),
      cancel() {
        cancelled++;
        release();
      },
    }),
  };
  const controller = new AbortController();
  const source = mssqlSource({ pool, table: 'T', key: ['ID'], columns: ['ID'] });
  const reading = (async () => {
    for await (const _ of source.read({ batchSize: 10, signal: controller.signal })) break;
  })();
  setTimeout(() => controller.abort(), 20);
  await expect(reading).rejects.toMatchObject({ code: 'FERRY_ABORTED' });
  expect(cancelled).toBe(1);
});

describe('a module in a second database catalog', () => {
  const t: MssqlTable = {
    database: 'OS_ARCHIVE',
    schema: 'dbo',
    table: 'OSUSR_7i3_City',
    columns: [{ name: 'Id', kind: 'integer' }],
    key: [{ name: 'Id', kind: 'integer' }],
  };
  test('pages, column types and the estimate name that database', () => {
    expect(pageStatement(t, undefined, 5).sql).toBe(
      'SELECT TOP (@n) [src].[Id] FROM [OS_ARCHIVE].[dbo].[OSUSR_7i3_City] AS [src] ORDER BY [src].[Id];',
    );
    const types = columnTypesStatement(t);
    expect(types.sql).toContain('FROM [OS_ARCHIVE].sys.columns c JOIN [OS_ARCHIVE].sys.types t');
    expect(types.params[0]!.value).toBe('[OS_ARCHIVE].[dbo].[OSUSR_7i3_City]');
    expect(estimateStatement(t).sql).toBe(
      'SELECT CAST(SUM(p.rows) AS varchar(20)) AS n FROM [OS_ARCHIVE].sys.partitions p ' +
        'WHERE p.object_id = OBJECT_ID(@t) AND p.index_id IN (0, 1);',
    );
  });

  test('catalogDatabases maps modules outside (Main) to their catalog name', () => {
    expect(
      catalogDatabases(
        [
          { ID: 1, DBCATALOG_ID: 1 },
          { ID: 2, DBCATALOG_ID: 2 },
          { ID: 3, DBCATALOG_ID: null },
        ],
        [
          { ID: 1, NAME: '(Main)' },
          { ID: 2, NAME: 'OS_ARCHIVE' },
        ],
      ),
    ).toEqual(new Map([['2', 'OS_ARCHIVE']]));
  });
});

describe('more key column types', () => {
  test('a composite key binds each column with its own type', () => {
    const table: MssqlTable = {
      table: 'EXT_RATES',
      columns: [
        { name: 'Code', kind: 'text' },
        { name: 'Amount', kind: 'decimal' },
        { name: 'Seq', kind: 'bigint' },
      ],
      key: [
        { name: 'Code', kind: 'text' },
        { name: 'Amount', kind: 'decimal' },
        { name: 'Seq', kind: 'bigint' },
      ],
      types: new Map([
        ['Code', type('varchar', 12)],
        ['Amount', type('decimal', 17, 37, 8)],
        ['Seq', type('bigint', 8, 19)],
      ]),
    };
    const amount = '12345678901234567890123456789.00000001';
    const { sql: text, params } = keysetCondition(table, ['Ab', amount, '9007199254740993']);
    expect(params).toEqual([
      { name: 'k0', type: 'varchar', value: 'Ab', length: 12 },
      { name: 'k1', type: 'varchar', value: amount, length: 64 },
      { name: 'k2', type: 'bigint', value: '9007199254740993' },
    ]);
    // The decimal and the bigint never become JS numbers: both travel as the text given.
    expect(text).toContain('CAST(@k1 AS decimal(37,8))');
    expect(text.startsWith('[src].[Code] >= @k0 AND ')).toBe(true);
  });
});

test("the snapshot transaction begins at mssql's own SNAPSHOT level", () => {
  expect(sql.ISOLATION_LEVEL.SNAPSHOT).toBe(5);
});
