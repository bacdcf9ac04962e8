// Every value type through the real server, in each sink mode: what is read back (as PostgreSQL's
// own text output) must equal what was written, exactly.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { createTable, postgresSink } from '@ferry/adapters/postgres';
import type { PostgresSinkMode } from '@ferry/adapters/postgres';
import { context, openTestDb } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.drop();
});

function allTypes(table: string): TargetTable {
  return {
    schema: db.schema,
    table,
    key: ['Id'],
    columns: [
      { name: 'Id', type: 'bigint', nullable: false },
      { name: 'Int', type: 'integer', nullable: true },
      { name: 'Big', type: 'bigint', nullable: true },
      { name: 'Money', type: 'numeric', precision: 37, scale: 8, nullable: true },
      { name: 'Text', type: 'text', nullable: true },
      { name: 'Short', type: 'varchar', length: 50, nullable: true },
      { name: 'Flag', type: 'boolean', nullable: true },
      { name: 'Day', type: 'date', nullable: true },
      { name: 'Clock', type: 'time', nullable: true },
      { name: 'At', type: 'timestamp', nullable: true },
      { name: 'Blob', type: 'bytea', nullable: true },
    ],
  };
}

const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
/** Rows to write and, per row, the text PostgreSQL returns for each column (bytea as hex). */
const cases: [Row, (string | null)[]][] = [
  [
    {
      Id: 1n,
      Int: 2147483647,
      Big: 9223372036854775807n,
      Money: '99999999999999999999999999999.99999999',
      Text: '😀 emoji \\ back\tslash\nnew\rline \\N',
      Short: 'ünïcödé 👍',
      Flag: true,
      Day: '1900-01-01',
      Clock: '00:00:00',
      At: '1900-01-01 00:00:00',
      Blob: every,
    },
    [
      '1',
      '2147483647',
      '9223372036854775807',
      '99999999999999999999999999999.99999999',
      '😀 emoji \\ back\tslash\nnew\rline \\N',
      'ünïcödé 👍',
      'true',
      '1900-01-01',
      '00:00:00',
      '1900-01-01 00:00:00',
      every.toString('hex'),
    ],
  ],
  [
    {
      Id: 2n,
      Int: -2147483648,
      Big: -9223372036854775808n,
      Money: '-99999999999999999999999999999.99999999',
      Text: '',
      Short: '\\N',
      Flag: false,
      Day: '3000-12-31',
      Clock: '23:59:59.999',
      At: new Date('3000-12-31T23:59:59.999Z'),
      Blob: new Uint8Array(0),
    },
    [
      '2',
      '-2147483648',
      '-9223372036854775808',
      '-99999999999999999999999999999.99999999',
      '',
      '\\N',
      'false',
      '3000-12-31',
      '23:59:59.999',
      '3000-12-31 23:59:59.999',
      '',
    ],
  ],
  [
    {
      Id: '9007199254740993',
      Int: 0,
      Big: '9007199254740993',
      Money: '0.00000001',
      Text: 'NULL',
      Short: ' ',
      Flag: false,
      Day: new Date('2024-02-29T00:00:00Z'),
      Clock: new Date('1900-01-01T12:34:56.789Z'),
      At: '2024-02-29T13:14:15.123',
      Blob: Buffer.from([0x5c, 0x78, 0x00]),
    },
    [
      '9007199254740993',
      '0',
      '9007199254740993',
      '0.00000001',
      'NULL',
      ' ',
      'false',
      '2024-02-29',
      '12:34:56.789',
      '2024-02-29 13:14:15.123',
      '5c7800',
    ],
  ],
  [
    {
      Id: 4n,
      Int: null,
      Big: null,
      Money: null,
      Text: null,
      Short: null,
      Flag: null,
      Day: null,
      Clock: null,
      At: null,
      Blob: null,
    },
    ['4', null, null, null, null, null, null, null, null, null, null],
  ],
];

async function readBack(table: TargetTable): Promise<(string | null)[][]> {
  const columns = table.columns
    .map((c) => (c.type === 'bytea' ? `encode("${c.name}", 'hex')` : `"${c.name}"::text`))
    .join(', ');
  const result = await db.observer.query({
    text: `SELECT ${columns} FROM "${db.schema}"."${table.table}" ORDER BY "Id"`,
    rowMode: 'array',
  });
  return result.rows as (string | null)[][];
}

describe.each(['copy', 'insert', 'upsert'] as const)(
  'every type round-trips in %s mode',
  (mode: PostgresSinkMode) => {
    it('reads back exactly what it wrote', async () => {
      const table = allTypes(`types_${mode}`);
      await createTable(db.pool, table);
      const sink = postgresSink({ pool: db.pool, table, mode });
      await sink.write(
        { rows: cases.map(([row]) => row), position: null, rowsRead: cases.length },
        context(),
      );
      await sink.close('completed');
      const expected = cases
        .map(([, values]) => values)
        .sort((a, b) => (BigInt(a[0]!) < BigInt(b[0]!) ? -1 : 1));
      expect(await readBack(table)).toEqual(expected);
    });

    it('refuses text with NUL, naming the column and key, and commits nothing', async () => {
      const table = allTypes(`nul_${mode}`);
      await createTable(db.pool, table);
      const sink = postgresSink({ pool: db.pool, table, mode });
      const rows = [
        { Id: 1n, Text: 'fine' },
        { Id: 2n, Text: 'bad\u0000text' },
      ];
      await expect(sink.write({ rows, position: null, rowsRead: 2 }, context())).rejects.toMatchObject({
        reason: 'invalid-data',
        attribute: 'Text',
        key: ['2'],
      });
      await sink.close('failed');
      expect(await readBack(table)).toEqual([]);
    });
  },
);
