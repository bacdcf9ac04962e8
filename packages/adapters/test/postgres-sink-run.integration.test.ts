// The PostgreSQL sink under core's run(), counting the COMMITs on the sink's connections. Regression
// for the `ordered` defect: postgresSink() returned a facade without the class's `ordered` flag, so
// the runner kept one batch in flight and every batch became its own transaction (21 COMMITs for 20
// batches where 1 was due). The runner now owns the commit points, so there is no flag to lose.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@ferry/core';
import type { Row } from '@ferry/core';
import { FakeSource } from '@ferry/core/testing';
import type { PgPool, PgPoolClient } from '@ferry/adapters/postgres';
import { createTable, PostgresCheckpointStore, postgresSink } from '@ferry/adapters/postgres';
import { openTestDb, simpleTable } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.drop();
});

/** A pool whose clients count the COMMITs they send (the real server still runs every statement). */
function countingPool(pool: TestDb['pool'], counts: { commits: number }): PgPool {
  const wrapped: PgPool = {
    query: (text: string, values?: unknown[]) => pool.query(text, values),
    connect: async (): Promise<PgPoolClient> => {
      const client = await pool.connect();
      const query: (...args: unknown[]) => unknown = client.query.bind(client);
      const counting = (...args: unknown[]): unknown => {
        if (args[0] === 'COMMIT') counts.commits += 1;
        return query(...args);
      };
      const release = client.release.bind(client);
      return Object.assign(Object.create(client) as PgPoolClient, {
        query: counting,
        release: (error?: Error | boolean) => release(error),
      });
    },
  };
  return wrapped;
}

const rows = (n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({ Id: BigInt(i + 1), Name: `n${i + 1}` }));

describe('postgres sink under run()', () => {
  it('regression (ordered flag lost by the postgresSink facade): 20 batches of 100 rows, commitEvery 50 000, make one COMMIT', async () => {
    const table = simpleTable(db.schema, 'ordered_regression');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const counts = { commits: 0 };
    const sink = postgresSink({ pool: countingPool(db.pool, counts), table, checkpoints });
    const source = FakeSource.fromRows(rows(2000), { keyOf: (row) => String(row.Id) });
    const result = await run(
      { entities: [{ entity: 'Item', source, sink }] },
      { runId: 'ordered-regression', checkpoints, batchSize: 100, maxInFlight: 51, commitEvery: 50_000 },
    );
    expect(result.status).toBe('completed');
    const stored = await db.observer.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".ordered_regression`,
    );
    expect(stored.rows[0].n).toBe(2000);
    expect(counts.commits).toBe(1);
  });

  it('commits every commitEvery rows: 2000 rows, commitEvery 500, make four COMMITs', async () => {
    const table = simpleTable(db.schema, 'commit_every');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const counts = { commits: 0 };
    const sink = postgresSink({ pool: countingPool(db.pool, counts), table, mode: 'upsert', checkpoints });
    const source = FakeSource.fromRows(rows(2000), { keyOf: (row) => String(row.Id) });
    const result = await run(
      { entities: [{ entity: 'Item', source, sink }] },
      { runId: 'commit-every', batchSize: 100, commitEvery: 500 },
    );
    expect(result.status).toBe('completed');
    expect(counts.commits).toBe(4);
    expect(await checkpoints.load('commit-every', 'Item')).toMatchObject({
      status: 'completed',
      rowsWritten: 2000,
    });
  });
});
