// Regression (issue 14, "ReferenceError after a target restart"): the sink kept its held connection
// after that connection reported an error; when the target restarted between transactions, the next
// BEGIN failed on the dead backend and the transaction's end callback read `tx` before it existed
// (`ReferenceError: Cannot access 'tx' before initialization`), so the entity was not retried. Here
// the sink's backend is terminated (pg_terminate_backend, as a restart does) between transactions.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@ferry/core';
import type { Batch, Row, Source } from '@ferry/core';
import { FakeSource } from '@ferry/core/testing';
import { createTable, PostgresCheckpointStore, postgresSink } from '@ferry/adapters/postgres';
import { batch, checkpoint, context, openTestDb, PG_URL, simpleTable } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

let db: TestDb;
/** The sink's own pool, named so its backends can be found and terminated. */
let sinkPool: pg.Pool;
const app = `ferry_restart_${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  db = await openTestDb();
  sinkPool = new pg.Pool({ connectionString: PG_URL, max: 4, application_name: app });
  sinkPool.on('error', () => undefined); // idle clients whose backend is terminated
});
afterAll(async () => {
  await sinkPool.end();
  await db.drop();
});

/** Terminate every backend of the sink's pool; resolves with how many there were. */
async function terminateSinkBackends(): Promise<number> {
  const result = await db.observer.query(
    'SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_stat_activity WHERE application_name = $1',
    [app],
  );
  return result.rowCount ?? 0;
}

/** Ids stored in `table`, as text, in order. */
async function storedIds(table: string): Promise<string[]> {
  const result = await db.observer.query(
    `SELECT "Id"::text AS id FROM "${db.schema}"."${table}" ORDER BY "Id"`,
  );
  return result.rows.map((row: { id: string }) => row.id);
}

const ids = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

async function openSink(name: string) {
  const table = simpleTable(db.schema, name);
  await createTable(db.pool, table);
  const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
  const sink = postgresSink({ pool: sinkPool, table, checkpoints });
  await sink.open!({ entity: 'Item', runId: 'run-1', signal: new AbortController().signal });
  return { sink, checkpoints, transactions: sink.transactions! };
}

describe('postgres sink: backend terminated between transactions', () => {
  it('regression (TDZ ReferenceError): after the error is reported, the next transaction gets a new connection and commits', async () => {
    const { sink, transactions } = await openSink('between_tx');
    const first = await transactions.begin(context(1));
    await first.write(batch(1, 10), context(1));
    await first.commit(checkpoint(1, 10));
    expect(await terminateSinkBackends()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the held client reports its end
    const second = await transactions.begin(context(2));
    await second.write(batch(11, 10), context(2));
    await second.commit(checkpoint(2, 20));
    await sink.close('completed');
    expect(await storedIds('between_tx')).toEqual(ids(1, 20));
  });

  it('regression (TDZ ReferenceError): a BEGIN racing the termination succeeds or fails retryably, never with a ReferenceError', async () => {
    const { sink, transactions } = await openSink('racing_begin');
    let next = 1;
    const outcomes = { ok: 0, retryable: 0 };
    for (let round = 0; round < 10; round++) {
      const tx = await transactions.begin(context(round));
      await tx.write(batch(next, 5), context(round));
      next += 5;
      await tx.commit(checkpoint(round + 1, next - 1));
      await terminateSinkBackends(); // no wait: the BEGIN below may meet the dead backend
      try {
        const after = await transactions.begin(context(round));
        await after.rollback();
        outcomes.ok += 1;
      } catch (error) {
        expect(error).not.toBeInstanceOf(ReferenceError);
        expect(error).toMatchObject({ reason: 'connection', retryable: true });
        outcomes.retryable += 1;
      }
    }
    const last = await transactions.begin(context(99));
    await last.write(batch(next, 5), context(99));
    await last.commit(checkpoint(99, next + 4));
    await sink.close('completed');
    expect(outcomes.ok + outcomes.retryable).toBe(10);
    expect(await storedIds('racing_begin')).toEqual(ids(1, next + 4));
  });

  it('under run(): a termination after a commit is retried and the entity completes once with every row', async () => {
    const { sink, checkpoints } = await openSink('under_run');
    const inner = FakeSource.fromRows(
      Array.from({ length: 2000 }, (_, i): Row => ({ Id: BigInt(i + 1), Name: `n${i + 1}` })),
      { keyOf: (row) => String(row.Id), delayMs: 20 },
    );
    let terminated = 0;
    // Before rows 501..600 are handed over (the commit of the first 500 behind), the target "restarts".
    const source: Source<Row> = {
      name: 'restarting',
      count: (options) => inner.count(options),
      async *read(options) {
        for await (const item of inner.read(options)) {
          if (terminated === 0 && lastKey(item) === 600) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            terminated = await terminateSinkBackends();
          }
          yield item;
        }
      },
    };
    const result = await run(
      { entities: [{ entity: 'Item', source, sink }] },
      {
        runId: 'under-run',
        checkpoints,
        batchSize: 100,
        commitEvery: 500,
        retry: { minDelayMs: 10, maxDelayMs: 50 },
      },
    );
    expect(terminated).toBeGreaterThan(0);
    expect(result.status).toBe('completed');
    expect(await checkpoints.load('under-run', 'Item')).toMatchObject({
      status: 'completed',
      rowsWritten: 2000,
    });
    expect(await storedIds('under_run')).toEqual(ids(1, 2000));
  });
});

/** The last key of a batch (ids run 1..n). */
function lastKey(item: Batch<Row>): number {
  const position = item.position as { key?: readonly string[] };
  return Number(position.key?.[0] ?? '0');
}
