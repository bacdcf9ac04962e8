// Unit tests of the SQL Server source's byte budget (issue 18, finding 4): the page of a table with
// large columns (Binary Data, `(max)` types) is measured with DATALENGTH before it is read, and holds
// only the rows that fit `batchBytes`; a bigger row comes alone. A table without them is not measured.

import { describe, expect, test } from 'vitest';
import { largeColumns, mssqlSource, sizesStatement } from '@ferry/adapters/mssql';
import type { MssqlColumnType, MssqlPoolLike, MssqlTable } from '@ferry/adapters/mssql';

const type = (t: string, length = 0): MssqlColumnType => ({ type: t, length, precision: 0, scale: 0 });

const table: MssqlTable = {
  table: 'OSUSR_ABC_PRODUCT',
  columns: [
    { name: 'ID', kind: 'integer' },
    { name: 'PHOTO', kind: 'binary' },
    { name: 'NOTES' },
    { name: 'NAME' },
  ],
  key: [{ name: 'ID', kind: 'integer' }],
  types: new Map([
    ['ID', type('int', 4)],
    ['PHOTO', type('varbinary', -1)],
    ['NOTES', type('nvarchar', -1)],
    ['NAME', type('nvarchar', 200)],
  ]),
};

describe('sizesStatement', () => {
  test('sums DATALENGTH of the Binary Data and (max) columns of the next page, in key order', () => {
    expect(largeColumns(table).map((c) => c.name)).toEqual(['PHOTO', 'NOTES']);
    const statement = sizesStatement(table, ['41'], 1000)!;
    expect(statement.sql).toBe(
      'SELECT TOP (@n) COALESCE(CAST(DATALENGTH([src].[PHOTO]) AS bigint), 0) + ' +
        'COALESCE(CAST(DATALENGTH([src].[NOTES]) AS bigint), 0) AS [ferry_bytes] ' +
        'FROM [OSUSR_ABC_PRODUCT] AS [src] WHERE [src].[ID] > @k0 ORDER BY [src].[ID];',
    );
    expect(statement.params).toEqual([
      { name: 'n', type: 'int', value: 1000 },
      { name: 'k0', type: 'int', value: 41 },
    ]);
  });

  test('image, text, ntext and xml count as large; a table without large columns is not measured', () => {
    const legacy: MssqlTable = {
      ...table,
      columns: [{ name: 'ID' }, { name: 'PIC' }, { name: 'BODY' }],
      types: new Map([
        ['PIC', type('image', 16)],
        ['BODY', type('ntext', 16)],
      ]),
    };
    expect(largeColumns(legacy).map((c) => c.name)).toEqual(['PIC', 'BODY']);
    const small: MssqlTable = { ...table, columns: [{ name: 'ID' }, { name: 'NAME' }], types: table.types };
    expect(sizesStatement(small, undefined, 10)).toBeUndefined();
  });
});

/** A pool over rows `ID → PHOTO bytes` that answers the column types, the sizes and the pages. */
function sizedPool(sizes: readonly number[], log: string[]): MssqlPoolLike {
  return {
    request: () => {
      const inputs = new Map<string, unknown>();
      return {
        input(name: string, _type: unknown, value: unknown) {
          inputs.set(name, value);
          return this;
        },
        query: (command: string) => {
          if (command.includes('sys.columns'))
            return Promise.resolve({ recordset: [{ name: 'PHOTO', type: 'varbinary', length: -1 }] });
          const after = inputs.has('k0') ? Number(inputs.get('k0')) : 0;
          const ids = sizes.map((_, i) => i + 1).filter((id) => id > after);
          const page = ids.slice(0, inputs.get('n') as number);
          if (command.includes('ferry_bytes')) {
            log.push(`sizes after ${after}`);
            return Promise.resolve({ recordset: page.map((id) => ({ ferry_bytes: String(sizes[id - 1]) })) });
          }
          log.push(`page after ${after}: ${page.length}`);
          return Promise.resolve({ recordset: page.map((ID) => ({ ID, PHOTO: Buffer.alloc(1) })) });
        },
      };
    },
  };
}

describe('mssqlSource with batchBytes', () => {
  const MB = 1_000_000;

  test('pages stop at the byte budget; a row over it comes alone; every row once, in order', async () => {
    const log: string[] = [];
    const pool = sizedPool([3 * MB, 3 * MB, 3 * MB, 20 * MB, MB, MB], log);
    const source = mssqlSource({
      pool,
      table: 'T',
      key: ['ID'],
      columns: ['ID', { name: 'PHOTO', kind: 'binary' }],
    });
    const batches: { ids: unknown[]; bytes: number | undefined }[] = [];
    for await (const batch of source.read({ batchSize: 100, batchBytes: 8 * MB }))
      batches.push({ ids: batch.rows.map((r) => r.ID), bytes: batch.bytes });
    expect(batches).toEqual([
      { ids: [1, 2], bytes: 6 * MB },
      { ids: [3], bytes: 3 * MB },
      { ids: [4], bytes: 20 * MB },
      { ids: [5, 6], bytes: 2 * MB },
    ]);
    // Each page is measured, then read with exactly the rows that fit.
    expect(log.filter((l) => l.startsWith('page'))).toEqual([
      'page after 0: 2',
      'page after 2: 1',
      'page after 3: 1',
      'page after 4: 2',
    ]);
  });

  test('without batchBytes a page is bounded by rows only and nothing is measured', async () => {
    const log: string[] = [];
    const pool = sizedPool([3 * MB, 20 * MB, MB], log);
    const source = mssqlSource({
      pool,
      table: 'T',
      key: ['ID'],
      columns: ['ID', { name: 'PHOTO', kind: 'binary' }],
    });
    const sizes: number[] = [];
    for await (const batch of source.read({ batchSize: 100 })) sizes.push(batch.rows.length);
    expect(sizes).toEqual([3]);
    expect(log.some((l) => l.startsWith('sizes'))).toBe(false);
  });
});
