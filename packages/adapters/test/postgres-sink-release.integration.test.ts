// Issue 19's hang: with COPY's backslash escaping removed, the conformance suite never ended. Its failed
// cases left their sinks unclosed; each such PostgreSQL sink kept its client out of the pool, so after a
// few the teardown's DROP SCHEMA (or a transaction it waited on) never got a connection. The harness
// now closes what a case left open; and a sink whose transaction rolled back gives its client back
// at once, so even an unclosed one holds no connection. A pool of one client, with timeouts, makes a
// held client fail the test in seconds instead of hanging it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Batch, Checkpoint, Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { PostgresCheckpointStore, postgresSink } from '@ferry/adapters/postgres';
import type { PostgresSinkMode } from '@ferry/adapters/postgres';
import { context, openTestDb, PG_URL, type TestDb } from './postgres-test-db.js';

let db: TestDb;
let n = 0;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db?.drop());

/** A table whose `email` holds 20 characters while the plan allows 250: the server refuses row 3. */
async function refusingTable(): Promise<TargetTable> {
  const table = `release_${(n += 1)}`;
  await db.pool.query(
    `CREATE TABLE "${db.schema}"."${table}" (id bigint PRIMARY KEY, email varchar(20) NOT NULL)`,
  );
  return {
    schema: db.schema,
    table,
    key: ['id'],
    columns: [
      { name: 'id', type: 'bigint', nullable: false },
      { name: 'email', type: 'varchar', length: 250, nullable: false },
    ],
  };
}

const refused: Batch<Row> = {
  rows: [1, 2, 3, 4].map((id) => ({ id: BigInt(id), email: id === 3 ? 'x'.repeat(21) : `e${id}` })),
  position: { key: ['4'] },
  rowsRead: 4,
};

const checkpoint: Checkpoint = {
  runId: 'run-1',
  entity: 'Item',
  position: { key: ['4'] },
  sequence: 1,
  status: 'running',
  rowsRead: 4,
  rowsWritten: 4,
  rowsRejected: 0,
  rowsFiltered: 0,
  updatedAt: new Date().toISOString(),
};

/** One client; waiting for it or for its query longer than a few seconds fails instead of hanging. */
const lonePool = () =>
  new pg.Pool({ connectionString: PG_URL, max: 1, connectionTimeoutMillis: 3000, query_timeout: 5000 });

/** The pool's client is back, idle, in no transaction and no COPY: it drops the table at once. */
async function expectClientBack(pool: pg.Pool, table: TargetTable): Promise<void> {
  expect(pool.totalCount - pool.idleCount).toBe(0);
  await pool.query(`DROP TABLE "${table.schema}"."${table.table}"`);
}

describe('issue 19 hang: a sink whose write failed and that nobody closes', () => {
  for (const mode of ['copy', 'upsert', 'insert'] as const satisfies readonly PostgresSinkMode[]) {
    it(`${mode}: a failed plain write gives the client back to the pool`, async () => {
      const pool = lonePool();
      try {
        const table = await refusingTable();
        const sink = postgresSink({ pool, table, mode });
        await expect(sink.write(refused, context())).rejects.toThrow(/key \(id\) = \(3\)/);
        await expectClientBack(pool, table);
      } finally {
        await pool.end();
      }
    });

    it(`${mode}: a transaction whose commit failed gives the client back to the pool`, async () => {
      const pool = lonePool();
      try {
        const table = await refusingTable();
        const checkpoints = new PostgresCheckpointStore({ pool, schema: db.schema });
        const sink = postgresSink({ pool, table, mode, checkpoints });
        const tx = await sink.transactions!.begin(context());
        const failed = tx.write(refused, context(1)).then(() => tx.commit(checkpoint));
        await expect(failed).rejects.toThrow(/key \(id\) = \(3\)/);
        await expectClientBack(pool, table);
      } finally {
        await pool.end();
      }
    });
  }
});
