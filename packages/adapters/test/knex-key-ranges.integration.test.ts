// knexKeyRanges with range-bounded knexSource reads on real MariaDB and PostgreSQL: the ranges of a
// table cover its key space exactly once (Long Integer keys past 2^53, gaps and skew, text keys,
// composite keys, an empty table, one row), and still do after rows were added below, between and above.

import { readAll } from '@ferry/core/testing';
import type { KeyRange } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { knexKeyRanges, knexSource } from '@ferry/adapters/knex';
import type { SourceColumn } from '@ferry/adapters/knex';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

const factories = { mariadb: mariadbDatabase, postgres: postgresDatabase };
const BIG = 9007199254740993n; // 2^53 + 1

interface Case {
  readonly table: string;
  readonly key: readonly string[];
  readonly columns: readonly SourceColumn[];
}

describe.each(Object.entries(factories))('key ranges on %s', (_name, factory) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await factory();
  });
  afterAll(async () => db?.drop());

  const bigint: Case = { table: 'kr_big', key: ['ID'], columns: [{ name: 'ID', kind: 'bigint' }] };
  const text: Case = { table: 'kr_text', key: ['CODE'], columns: [{ name: 'CODE', kind: 'text' }] };
  const composite: Case = {
    table: 'kr_pair',
    key: ['A', 'B'],
    columns: [
      { name: 'A', kind: 'integer' },
      { name: 'B', kind: 'text' },
    ],
  };

  async function create(c: Case): Promise<void> {
    await db.knex.schema.dropTableIfExists(c.table);
    await db.knex.schema.createTable(c.table, (t) => {
      if (c === bigint) t.bigInteger('ID').primary();
      else if (c === text) t.string('CODE', 40).primary();
      else {
        t.integer('A').notNullable();
        t.string('B', 40).notNullable();
        t.primary(['A', 'B']);
      }
    });
  }

  async function insert(c: Case, rows: readonly Record<string, string | number>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await db.knex(c.table).insert(rows.slice(i, i + 500));
  }

  /** Every key of the table, read partition by partition, in partition order. */
  async function readRanges(c: Case, ranges: readonly KeyRange[], batchSize = 7): Promise<string[]> {
    const keys: string[] = [];
    for (const range of ranges) {
      const source = knexSource({ knex: db.knex, ...c, range });
      const { rows } = await readAll(source, batchSize);
      keys.push(...rows.map((row) => c.key.map((k) => String(row[k])).join('|')));
    }
    return keys;
  }

  async function allKeys(c: Case): Promise<string[]> {
    const { rows } = await readAll(knexSource({ knex: db.knex, ...c }), 1000);
    return rows.map((row) => c.key.map((k) => String(row[k])).join('|'));
  }

  async function expectExactCover(c: Case, count: number): Promise<KeyRange[]> {
    const ranges = await knexKeyRanges({ knex: db.knex, ...c }, count);
    expect(await readRanges(c, ranges)).toEqual(await allKeys(c));
    return ranges;
  }

  test('Long Integer keys past 2^53, dense: split by MIN/MAX into equal ranges', async () => {
    await create(bigint);
    await insert(
      bigint,
      Array.from({ length: 400 }, (_, i) => ({ ID: String(BIG + BigInt(i)) })),
    );
    const ranges = await expectExactCover(bigint, 4);
    expect(ranges).toHaveLength(4);
    expect(ranges[0]).toEqual({ upTo: [String(BIG + 99n)] });
    expect(ranges[3]).toEqual({ after: [String(BIG + 299n)] });
  });

  test('Long Integer keys with gaps and skew: ranges by rank hold about equal rows', async () => {
    await create(bigint);
    // 300 keys packed near 2^53 and 100 spread up to 2^62: min/max alone would put 300 in one range.
    const keys = [
      ...Array.from({ length: 300 }, (_, i) => BIG + BigInt(i * 2)),
      ...Array.from({ length: 100 }, (_, i) => 2n ** 62n - BigInt(i) * 1_000_000_007n),
    ];
    await insert(
      bigint,
      keys.map((k) => ({ ID: String(k) })),
    );
    const ranges = await expectExactCover(bigint, 4);
    expect(ranges).toHaveLength(4);
    for (const range of ranges) {
      const { rows } = await readAll(knexSource({ knex: db.knex, ...bigint, range }), 1000);
      expect(rows.length).toBe(100);
    }
  });

  test('text keys are split by sampled ranks', async () => {
    await create(text);
    await insert(
      text,
      Array.from({ length: 250 }, (_, i) => ({ CODE: `k-${String((i * 7919) % 1000).padStart(4, '0')}-é` })),
    );
    expect(await expectExactCover(text, 4)).toHaveLength(4);
  });

  test('composite keys are split on the whole key', async () => {
    await create(composite);
    const rows = Array.from({ length: 200 }, (_, i) => ({ A: i % 3, B: `b${String(i).padStart(3, '0')}` }));
    await insert(composite, rows);
    const ranges = await expectExactCover(composite, 5);
    expect(ranges).toHaveLength(5);
    expect(ranges[1]!.after).toHaveLength(2);
  });

  test('an empty table is one open range; one row is one range; fewer rows than partitions', async () => {
    await create(bigint);
    expect(await expectExactCover(bigint, 4)).toEqual([{}]);
    await insert(bigint, [{ ID: String(BIG) }]);
    expect(await expectExactCover(bigint, 4)).toEqual([{}]);
    await insert(bigint, [{ ID: String(BIG + 10n) }, { ID: String(BIG + 20n) }]);
    expect(await expectExactCover(bigint, 8)).toHaveLength(3);
  });

  test('rows added after the split (below, between, above) still land in exactly one range', async () => {
    await create(bigint);
    await insert(
      bigint,
      Array.from({ length: 100 }, (_, i) => ({ ID: String(BIG + BigInt(i * 10)) })),
    );
    const ranges = await knexKeyRanges({ knex: db.knex, ...bigint }, 4);
    await insert(bigint, [
      { ID: '-5' },
      { ID: String(BIG + 255n) },
      { ID: String(BIG + 249n) }, // the bound of range 1 is BIG + 240 (rank 25)
      { ID: String(BIG + 5000n) },
    ]);
    expect(await readRanges(bigint, ranges)).toEqual(await allKeys(bigint));
  });

  test('a range read resumes inside its range and counts only its rows', async () => {
    await create(bigint);
    await insert(
      bigint,
      Array.from({ length: 40 }, (_, i) => ({ ID: String(BIG + BigInt(i)) })),
    );
    const [, second] = await knexKeyRanges({ knex: db.knex, ...bigint }, 4);
    const source = knexSource({ knex: db.knex, ...bigint, range: second!, count: 'exact' });
    expect(await source.count?.({})).toBe(10);
    const { rows } = await readAll(source, 3, { key: [String(BIG + 14n)] });
    expect(rows.map((r) => r.ID)).toEqual([15n, 16n, 17n, 18n, 19n].map((d) => String(BIG + d)));
  });
});
