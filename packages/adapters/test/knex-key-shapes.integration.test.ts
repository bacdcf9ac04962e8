// Issue 18, the shapes where SQL Server differs, on the real MariaDB and PostgreSQL of this machine so
// the shared keyset path runs in CI: a mixed-case table and columns (`OSUSR_7i3_City`), a text key under
// a case-sensitive and a case-insensitive collation, decimal(37,8) keys that differ below a double's
// precision, and Long Integer keys past 2^53. Each key is read at batch sizes 1, 4 and 100 and must
// return every inserted row once, in the server's own ORDER BY order.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readAll } from '@ferry/core/testing';
import { knexSource } from '@ferry/adapters/knex';
import type { ColumnKind } from '@ferry/adapters/knex';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

/** Column types per dialect: `cs` and `ci` text keys, the decimal and the bigint key. */
const TYPES = {
  mariadb: {
    cs: 'varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    ci: 'varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci',
    decimal: 'decimal(37,8)',
    bigint: 'bigint',
  },
  postgres: {
    cs: 'varchar(20) COLLATE "C"',
    ci: 'varchar(20) COLLATE "und-x-icu"',
    decimal: 'numeric(37,8)',
    bigint: 'bigint',
  },
} as const;

// Unique even case-insensitively (the CI table's primary key), in an order that differs per collation.
const TEXT_KEYS = ['b2', 'A1', 'a3', 'B4', 'Zz', 'aa', 'AB5', 'ab6', 'Ä7', 'z9', '0x', '_u', 'Éa', 'e8'];
// 27 integer digits, then fractions 1e-8 apart: a double holds ~16 digits, so all would collapse.
const INT_PART = '123456789012345678901234567';
const DECIMAL_KEYS = Array.from({ length: 23 }, (_, i) => `${INT_PART}.${String(i * 7).padStart(8, '0')}`);
const BIGINT_KEYS = Array.from({ length: 23 }, (_, i) => String(9007199254740993n + BigInt(i))).concat(
  '-9007199254740993',
);

const factories = { mariadb: mariadbDatabase, postgres: postgresDatabase };

describe.each(Object.entries(factories))('keyset keys on %s', (dialect, factory) => {
  const types = TYPES[dialect as keyof typeof TYPES];
  let db: TestDatabase;
  beforeAll(async () => {
    db = await factory();
  });
  afterAll(async () => db?.drop());

  /** A mixed-case table `OSUSR_<hex>_Keyed` with columns `Key` and `Label`, rows inserted shuffled. */
  async function table(keyType: string, keys: readonly string[]): Promise<string> {
    const name = `OSUSR_${randomBytes(2).toString('hex')}_Keyed`;
    await db.knex.schema.createTable(name, (t) => {
      t.specificType('Key', `${keyType} NOT NULL`).primary();
      t.string('Label', 40).notNullable();
    });
    // Inserted out of order (odd positions first, reversed), so storage order is not the answer.
    const shuffled = [...keys.filter((_, i) => i % 2 === 1), ...keys.filter((_, i) => i % 2 === 0)].reverse();
    await db.knex(name).insert(shuffled.map((key) => ({ Key: key, Label: `row ${key}` })));
    return name;
  }

  /** The server's own order of the key column, read as text. */
  async function serverOrder(name: string): Promise<string[]> {
    const rows = (await db
      .knex(name)
      .select(db.knex.raw('CAST(?? AS char(64)) AS k', ['Key']))
      .orderBy('Key')) as {
      k: string;
    }[];
    return rows.map((r) => r.k.trim());
  }

  async function expectEveryRowOnce(name: string, keys: readonly string[], kind: ColumnKind): Promise<void> {
    const expected = await serverOrder(name);
    expect([...expected].sort()).toEqual([...keys].sort());
    for (const batchSize of [1, 4, 100]) {
      const source = knexSource({
        knex: db.knex,
        table: name,
        key: ['Key'],
        columns: [
          { name: 'Key', kind },
          { name: 'Label', kind: 'text' },
        ],
      });
      const { rows } = await readAll(source, batchSize);
      expect(
        rows.map((r) => String(r.Key)),
        `batch size ${batchSize}`,
      ).toEqual(expected);
      expect(rows.every((r) => r.Label === `row ${String(r.Key)}`)).toBe(true);
    }
  }

  test('a mixed-case table and columns, text key under a case-sensitive and a case-insensitive collation', async () => {
    const cs = await table(types.cs, TEXT_KEYS);
    const ci = await table(types.ci, TEXT_KEYS);
    // The two collations really order these keys differently (else the test proves nothing).
    expect(await serverOrder(cs)).not.toEqual(await serverOrder(ci));
    await expectEveryRowOnce(cs, TEXT_KEYS, 'text');
    await expectEveryRowOnce(ci, TEXT_KEYS, 'text');
  });

  test('decimal(37,8) keys 1e-8 apart with 27 integer digits', async () => {
    const name = await table(types.decimal, DECIMAL_KEYS);
    await expectEveryRowOnce(name, DECIMAL_KEYS, 'decimal');
    // Independent of the server: the fractions alone give the order.
    expect(await serverOrder(name)).toEqual(DECIMAL_KEYS);
  });

  test('Long Integer keys past 2^53 (consecutive, so a double would merge them) and a negative one', async () => {
    const name = await table(types.bigint, BIGINT_KEYS);
    await expectEveryRowOnce(name, BIGINT_KEYS, 'bigint');
    const byValue = [...BIGINT_KEYS].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(await serverOrder(name)).toEqual(byValue);
  });
});
