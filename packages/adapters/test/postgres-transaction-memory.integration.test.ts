// A COPY or upsert transaction under the runner (with a replay) keeps no written row alive: holding
// the last two batches made V8 promote every row to the old generation and raised the benchmark's peak
// RSS by ~60 MB. In 'insert' mode, or without a replay, the last two batches stay (the failing-row
// search needs them). Checked with WeakRefs and a forced GC, on the real server.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Row } from '@ferry/core';
import type { PostgresSinkMode } from '../src/postgres/tx-writers.js';
import { PostgresTransaction } from '../src/postgres/postgres-transaction.js';
import { planTable } from '../src/postgres/table-plan.js';
import { openTestDb, simpleTable, type TestDb } from './postgres-test-db.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
  await db.pool.query(`CREATE TABLE "${db.schema}".item ("Id" bigint PRIMARY KEY, "Name" text NOT NULL)`);
});
afterAll(async () => {
  await db?.drop();
});

/** Write two batches in one transaction; WeakRefs to their rows, taken before they are dropped. */
async function written(mode: PostgresSinkMode, withReplay: boolean) {
  const client = await db.pool.connect();
  const replay = async function* (): AsyncIterable<Batch<Row>> {};
  const tx = await PostgresTransaction.begin({
    client,
    plan: planTable(simpleTable(db.schema)),
    options: { pool: db.pool, table: simpleTable(db.schema), mode },
    entity: 'Item',
    signal: new AbortController().signal,
    replay: withReplay ? replay : undefined,
    onEnd: () => client.release(),
  });
  const refs: WeakRef<readonly Row[]>[] = [];
  for (const from of [1, 101]) {
    const rows: Row[] = [];
    for (let id = from; id < from + 100; id++) rows.push({ Id: String(id), Name: `n${id}` });
    refs.push(new WeakRef(rows));
    await tx.write({ rows, position: { key: [String(from + 99)] }, rowsRead: 100 }, context());
  }
  return { tx, refs };
}

const context = () => ({ entity: 'Item', runId: 'r', sequence: 1, signal: new AbortController().signal });

/** Let the write calls' closures go, then collect. */
async function collect(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

describe('rows a transaction keeps after writing them', () => {
  it.each(['copy', 'upsert'] as const)('%s under the runner (a replay): none', async (mode) => {
    const { tx, refs } = await written(mode, true);
    await collect();
    expect(refs.map((ref) => ref.deref() === undefined)).toEqual([true, true]);
    await tx.rollback();
  });

  it.each([
    ['insert', true],
    ['copy', false],
  ] as const)('%s (replay: %s): the last two batches', async (mode, withReplay) => {
    const { tx, refs } = await written(mode, withReplay);
    await collect();
    expect(refs.map((ref) => ref.deref() === undefined)).toEqual([false, false]);
    await tx.rollback();
  });
});
