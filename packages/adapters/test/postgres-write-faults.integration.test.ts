// Exactly-once under a deterministic fault at every step of the PostgreSQL write path: a target row, the
// checkpoint save, the COMMIT (deferred trigger), each as an error and as a killed connection, and a
// checkpoint store that throws on save. The run fails, is resumed with the same run id, and the target
// must then hold every source row once, compared with the rows the fixture generator makes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import type { Checkpoint, CheckpointStore, RunOptions } from '@ferry/core';
import { FakeSource, syntheticRow } from '@ferry/core/testing';
import type { TargetTable } from '@ferry/mapping';
import { createTable, PostgresCheckpointStore, postgresSink } from '@ferry/adapters/postgres';
import type { PostgresSinkMode } from '@ferry/adapters/postgres';
import { openTestDb, type TestDb } from './postgres-test-db.js';
import { installFault, removeFault, type Fault } from './fixtures/write-faults.js';

const ROWS = 60;
const BATCH = 10;

let db: TestDb;
let tables = 0;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.drop();
});

function itemTable(schema: string): TargetTable {
  return {
    schema,
    table: `item_${(tables += 1)}`,
    key: ['id'],
    columns: [
      { name: 'id', type: 'bigint', nullable: false },
      { name: 'name', type: 'text', nullable: false },
      { name: 'amount', type: 'numeric', precision: 20, scale: 2, nullable: false },
    ],
  };
}

/** The source rows as the generator makes them, in the target's text form. */
const expected = Array.from({ length: ROWS }, (_, i) => {
  const row = syntheticRow(i);
  return { id: String(row.id), name: String(row.name), amount: Number(row.amount).toFixed(2) };
});

async function targetRows(table: TargetTable): Promise<unknown[]> {
  const sql = `SELECT id::text AS id, name, amount::text AS amount FROM "${db.schema}"."${table.table}" ORDER BY id::bigint`;
  return (await db.observer.query(sql)).rows as unknown[];
}

/** Run once with the fault (it must fail), remove it, resume; the target must then equal the source. */
async function failThenResume(
  mode: PostgresSinkMode,
  table: TargetTable,
  checkpoints: CheckpointStore,
  shared: PostgresCheckpointStore | undefined,
  runId: string,
  removeFaults: () => Promise<void>,
): Promise<void> {
  const plan = {
    entities: [
      {
        entity: 'Item',
        source: FakeSource.synthetic(ROWS),
        sink: postgresSink({
          pool: db.pool,
          table,
          mode,
          ...(shared === undefined ? {} : { checkpoints: shared }),
        }),
      },
    ],
  };
  // One transaction per batch (commitEvery), so the Nth save is the Nth transaction's.
  const options: RunOptions = {
    runId,
    checkpoints,
    batchSize: BATCH,
    commitEvery: BATCH,
    retry: { retries: 0 },
  };
  const first = await run(plan, options);
  expect(first.status).toBe('failed');
  await removeFaults();
  const second = await run(
    { entities: [{ ...plan.entities[0]!, source: FakeSource.synthetic(ROWS) }] },
    options,
  );
  expect(second.status, JSON.stringify(second.entities[0]?.error?.message)).toBe('completed');
  expect(await targetRows(table)).toEqual(expected);
  expect(await checkpoints.load(runId, 'Item')).toMatchObject({ status: 'completed', rowsWritten: ROWS });
}

const faults: Fault[] = [];
for (const step of ['row', 'checkpoint', 'commit'] as const)
  for (const kind of ['raise', 'terminate'] as const)
    for (const nth of [1, 3]) faults.push({ step, kind, nth });

describe.each(['copy', 'upsert', 'insert'] as const)(
  'postgres %s sink, checkpoint in the same transaction',
  (mode) => {
    it.each(faults)('exactly once after a fault at $step #$nth ($kind) and a resume', async (fault) => {
      const table = itemTable(db.schema);
      await createTable(db.pool, table);
      const store = new PostgresCheckpointStore({ pool: db.pool, schema: `${db.schema}_cp${tables}` });
      await store.ensure();
      const onTable = fault.step === 'row' ? [db.schema, table.table] : [store.schema, 'checkpoints'];
      // A row fault counts rows: the nth batch's first row.
      const nth = fault.step === 'row' ? (fault.nth - 1) * BATCH + 1 : fault.nth;
      await installFault(db.pool, onTable[0]!, onTable[1]!, { ...fault, nth });
      try {
        await failThenResume(mode, table, store, store, `fault-${mode}-${tables}`, () =>
          removeFault(db.pool, onTable[0]!, onTable[1]!),
        );
      } finally {
        await db.pool.query(`DROP SCHEMA "${store.schema}" CASCADE`);
      }
    });
  },
);

/** A store whose `nth` save throws (the runner saves after the sink acknowledged). */
class FailingStore extends MemoryCheckpointStore {
  #saves = 0;
  failing = true;
  constructor(readonly nth: number) {
    super();
  }
  override save(checkpoint: Checkpoint): Promise<void> {
    if (this.failing && (this.#saves += 1) === this.nth)
      return Promise.reject(new Error('injected save fault'));
    return super.save(checkpoint);
  }
}

describe('postgres upsert sink, checkpoint store elsewhere', () => {
  it.each([1, 3])('exactly once after the store fails save #%i and a resume', async (nth) => {
    const table = itemTable(db.schema);
    await createTable(db.pool, table);
    const store = new FailingStore(nth);
    await failThenResume('upsert', table, store, undefined, `store-fault-${nth}`, () => {
      store.failing = false;
      return Promise.resolve();
    });
  });
});
