// Smoke test: the split runs against a Customer table in SQLite (as O11 stores it) into a fresh
// PostgreSQL schema. Every row is checked: names split, domain derived, the malformed e-mail rejected
// (and its address still loaded), nothing doubled on a re-run.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrateSplitCustomer } from './migrate.js';
import { splitName } from './split-customer-stage.js';

const PG_URL = process.env.FERRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `ferry_example_split_${randomBytes(4).toString('hex')}`;
const ROWS = 1000;
let source: Knex;
let pool: pg.Pool;

beforeAll(async () => {
  source = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await source.schema.createTable('OSUSR_ABC_CUSTOMER', (t) => {
    t.bigInteger('ID').primary();
    t.string('FULLNAME', 200);
    t.string('EMAIL', 250);
    t.text('STREET');
    t.string('CITY', 100);
  });
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    ID: i + 1,
    FULLNAME: i % 10 === 0 ? `Solo${i}` : `  First${i}   Middle Last${i} `,
    EMAIL: i === 500 ? 'not-an-email' : i % 7 === 0 ? '' : `User${i}@Example${i % 3}.com`,
    STREET: `${i} Main St 😀`,
    CITY: ` city${i % 5} `,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await source('OSUSR_ABC_CUSTOMER').insert(rows.slice(i, i + 200));
  pool = new pg.Pool({ connectionString: PG_URL });
});
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema}_state CASCADE`);
  await pool.end();
  await source.destroy();
});

describe('custom stage: split Customer, derive attributes', () => {
  it('splits names', () => {
    expect(splitName('  Ada  King Lovelace ')).toEqual({ first: 'Ada', last: 'King Lovelace' });
    expect(splitName('Cher')).toEqual({ first: 'Cher', last: '' });
  });

  it('loads both targets, rejects the malformed e-mail, and a re-run changes nothing', async () => {
    const options = { source, table: 'OSUSR_ABC_CUSTOMER', pool, schema, runId: `split-${schema}` };
    const result = await migrateSplitCustomer(options);
    expect(result.entities.map((e) => [e.entity, e.status, e.rowsWritten, e.rowsRejected])).toEqual([
      ['Customer', 'completed', ROWS - 1, 1],
      ['CustomerAddress', 'completed', ROWS, 0],
    ]);
    const profiles = await pool.query<{
      id: string;
      first_name: string;
      last_name: string;
      email: string;
      email_domain: string | null;
    }>(`SELECT id::text, first_name, last_name, email, email_domain FROM ${schema}.customer ORDER BY id`);
    for (const p of profiles.rows) {
      const i = Number(p.id) - 1;
      expect(p.first_name).toBe(i % 10 === 0 ? `Solo${i}` : `First${i}`);
      expect(p.last_name).toBe(i % 10 === 0 ? '' : `Middle Last${i}`);
      expect(p.email).toBe(i % 7 === 0 ? '' : `user${i}@example${i % 3}.com`);
      expect(p.email_domain).toBe(i % 7 === 0 ? null : `example${i % 3}.com`);
    }
    expect(profiles.rows.map((p) => p.id)).not.toContain('501');
    const cities = await pool.query<{ n: string; c: string }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT city) AS c FROM ${schema}.customer_address`,
    );
    expect(cities.rows[0]).toEqual({ n: String(ROWS), c: '5' });
    const again = await migrateSplitCustomer(options);
    expect(again.status).toBe('already-completed');
  });
});
