// Regressions found while building the migration glue, each named for the bug it pins down.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { knexSource } from '@ferry/adapters/knex';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('knex source on %s', (_name, factory) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await factory();
    await db.knex.schema.createTable('BIGKEYS', (t) => {
      t.bigInteger('ID').primary();
      t.decimal('AMOUNT', 10, 2);
    });
    const ids = [1, 2, 9, 10, 11, 19, 20, 99, 100, 101, 999, 1000, 12345];
    await db.knex('BIGKEYS').insert(ids.map((id) => ({ ID: id, AMOUNT: `${id}.50` })));
  });
  afterAll(async () => db?.drop());

  // The select list casts a bigint key to text under its own name (`CAST(ID AS CHAR) AS ID`), and
  // ORDER BY ID then sorted by that text alias (1, 10, 100, 1000, 101, ...) while the keyset condition
  // compares numbers: pages skipped rows.
  test('a bigint key selected as text is still ordered numerically (ORDER BY alias regression)', async () => {
    const source = knexSource({
      knex: db.knex,
      table: 'BIGKEYS',
      key: ['ID'],
      columns: [
        { name: 'ID', kind: 'bigint' },
        { name: 'AMOUNT', kind: 'decimal' },
      ],
    });
    const seen: string[] = [];
    for await (const batch of source.read({ batchSize: 3 }))
      seen.push(...batch.rows.map((r) => String(r.ID)));
    expect(seen).toEqual(['1', '2', '9', '10', '11', '19', '20', '99', '100', '101', '999', '1000', '12345']);
  });
});
