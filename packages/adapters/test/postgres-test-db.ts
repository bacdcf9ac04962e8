// Test helper: a pool on the real PostgreSQL of this machine and a schema with a random suffix that
// is dropped afterwards. An unreachable server fails the test loudly; it never skips.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Batch, Checkpoint, Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';

/** The test database URL (`FERRY_TEST_PG_URL`, default: local trust auth, database `test`). */
export const PG_URL = process.env.FERRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A pool and a fresh schema. */
export interface TestDb {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** A second pool, for reading as another session would. */
  readonly observer: pg.Pool;
  drop(): Promise<void>;
}

/** Open pools and create `ferry_test_<random>`. */
export async function openTestDb(): Promise<TestDb> {
  const schema = `ferry_test_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
  const observer = new pg.Pool({ connectionString: PG_URL, max: 2 });
  await pool.query(`CREATE SCHEMA ${schema}`);
  return {
    pool,
    schema,
    observer,
    async drop() {
      await observer.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await Promise.all([pool.end(), observer.end()]);
    },
  };
}

/**
 * A {@link TestDb} and one client checked out of its pool, opened before the calling file's tests and
 * released and dropped after them: read `db` and `client` inside tests.
 */
export function sharedTestClient(): { readonly db: TestDb; readonly client: pg.PoolClient } {
  const shared = {} as { db: TestDb; client: pg.PoolClient };
  beforeAll(async () => {
    shared.db = await openTestDb();
    shared.client = await shared.db.pool.connect();
  });
  afterAll(async () => {
    shared.client?.release();
    await shared.db?.drop();
  });
  return shared;
}

/** A small target table with a bigint key and a text column. */
export function simpleTable(schema: string, table = 'item'): TargetTable {
  return {
    schema,
    table,
    key: ['Id'],
    columns: [
      { name: 'Id', type: 'bigint', nullable: false },
      { name: 'Name', type: 'text', nullable: false },
    ],
  };
}

/** A controllable write context. */
export function context(sequence = 1, signal: AbortSignal = new AbortController().signal) {
  return { entity: 'Item', runId: 'run-1', sequence, signal };
}

/** Rows `from`..`from+count-1` of {@link simpleTable} (Id, Name `${name}${i}`), keyed by the last id. */
export function batch(from: number, count: number, name = 'n'): Batch<Row> {
  const rows: Row[] = [];
  for (let i = from; i < from + count; i++) rows.push({ Id: BigInt(i), Name: `${name}${i}` });
  return { rows, position: { key: [String(from + count - 1)] }, rowsRead: count };
}

/** A running checkpoint of run `run-1`, entity `Item`, after id `last`. */
export function checkpoint(sequence: number, last: number): Checkpoint {
  return {
    runId: 'run-1',
    entity: 'Item',
    position: { key: [String(last)] },
    sequence,
    status: 'running',
    rowsRead: last,
    rowsWritten: last,
    rowsRejected: 0,
    rowsFiltered: 0,
    updatedAt: new Date().toISOString(),
  };
}
