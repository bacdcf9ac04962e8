// Smoke test: the example program against a sample O11 database on the local MariaDB and PostgreSQL
// (as the O11 side), into a fresh PostgreSQL schema; and on SQL Server when MSSQL_URL is set. Each run
// must complete with every target row equal, by key, to the row the sample's generators produced
// (converted in the test, not by the mapping code), verify by count and checksum, and a second run must
// write nothing.

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSampleO11Database, discoverO11Catalog, dropSampleO11Database } from '@ferry/adapters/o11';
import { generateMapping } from '@ferry/mapping';
import knexFactory from 'knex';
import pg from 'pg';
import { migrateO11ToPostgres, openO11, type O11Connection } from './migrate.js';
import {
  checkSampleTarget,
  everyUserUnmatched,
  sampleEntityEqual,
} from '../../packages/adapters/test/fixtures/sample-target-check.js';

const PG_URL = process.env.FERRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MARIADB_URL = process.env.FERRY_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';
const id = randomBytes(4).toString('hex');
const ROWS = 150;
const SEED = 7;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function targetSchema(label: string): Promise<string> {
  const schema = `ferry_example_${label}_${id}`;
  cleanups.push(async () => {
    const pool = new pg.Pool({ connectionString: PG_URL });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool
      .query(`DELETE FROM ferry.checkpoints WHERE run_id = $1`, [`example-${label}-${id}`])
      .catch(() => undefined);
    await pool.end();
  });
  return schema;
}

async function migrateTwice(source: O11Connection, label: string): Promise<void> {
  const db = openO11(source);
  await createSampleO11Database(db, { rowsPerEntity: ROWS, seed: SEED });
  const catalog = await discoverO11Catalog(db, source.client === 'mssql' ? { schema: 'dbo' } : {});
  await db.destroy();
  const options = {
    source,
    targetUrl: PG_URL,
    targetSchema: await targetSchema(label),
    runId: `example-${label}-${id}`,
  };
  const { result, verify } = await migrateO11ToPostgres(options);
  expect(result.status).toBe('completed');
  expect(verify.entities.map((e) => [e.entity, e.ok])).toEqual(verify.entities.map((e) => [e.entity, true]));
  expect(verify.entities.find((e) => e.entity === 'Catalog.Product')?.target.rows).toBe(ROWS);
  // Independent of the mapping code (verify compares the mapping with itself): the generators' rows.
  const pool = new pg.Pool({ connectionString: PG_URL });
  try {
    const checks = await checkSampleTarget({
      pool,
      schema: options.targetSchema,
      catalog,
      mapping: generateMapping(catalog),
      seed: SEED,
      rowsPerEntity: ROWS,
      user: everyUserUnmatched,
    });
    expect(checks).toEqual(checks.map(sampleEntityEqual));
  } finally {
    await pool.end();
  }
  const again = await migrateO11ToPostgres(options);
  expect(again.result.status).toBe('already-completed');
  expect(again.verify.ok).toBe(true);
}

describe('O11 → PostgreSQL example', () => {
  it('from an O11 database on MariaDB', async () => {
    const database = `ferry_example_${id}`;
    const admin = knexFactory({ client: 'mysql2', connection: MARIADB_URL });
    await admin.raw(`CREATE DATABASE ${database}`);
    cleanups.push(async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
      await admin.destroy();
    });
    const url = new URL(MARIADB_URL);
    url.pathname = `/${database}`;
    await migrateTwice({ client: 'mysql2', url: url.toString() }, 'mariadb');
  }, 180_000);

  it('from an O11 database on PostgreSQL', async () => {
    const schema = `ferry_example_o11_${id}`;
    const pool = new pg.Pool({ connectionString: PG_URL });
    await pool.query(`CREATE SCHEMA ${schema}`);
    cleanups.push(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    });
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    await migrateTwice({ client: 'pg', url: url.toString() }, 'pg');
  }, 180_000);

  it.runIf(process.env.MSSQL_URL !== undefined)(
    'from an O11 database on SQL Server (MSSQL_URL)',
    async () => {
      const source: O11Connection = { client: 'mssql', url: process.env.MSSQL_URL! };
      cleanups.push(async () => {
        const db = openO11(source);
        await dropSampleO11Database(db, { seed: SEED });
        await db.destroy();
      });
      await migrateTwice(source, 'mssql');
    },
    300_000,
  );
});
