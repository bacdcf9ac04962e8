// The Sink conformance cases under `run()`: the runner, not the test, drives the sink, so the commit
// protocol is tested where it is used. Counts transactions and writes, checks that rows and checkpoint
// become durable together, and that an abort or a failed commit leaves the last committed checkpoint.

import { expect } from 'vitest';
import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import { isFerryError } from '../errors.js';
import type { Row } from '../row.js';
import { run } from '../runner/run.js';
import type { RunOptions, RunResult } from '../run-types.js';
import type { Sink, SinkTransaction } from '../sink.js';
import type { Stage } from '../stage.js';
import { MemoryCheckpointStore } from '../stores/memory-checkpoint-store.js';
import { conformanceRows } from './conformance-rows.js';
import { FakeSource } from './fake-source.js';
import type { SinkConformanceCase, SinkConformanceFixture } from './sink-conformance.js';

/** What a sink under `run()` was asked to do. */
interface Counts {
  writes: number;
  begins: number;
  commits: number;
  rollbacks: number;
}

/** Hooks around a transaction's commit. */
interface CommitHooks {
  /** Throw to make the commit fail before the sink commits anything. */
  before?(index: number): void;
  after?(checkpoint: Checkpoint): Promise<void>;
}

const ENTITY = 'Conformance';
const ROWS = 25;

/** Wraps a sink to count what the runner asks of it; the transactions keep the sink's own store. */
function counted(sink: Sink<Row>, counts: Counts, hooks: CommitHooks = {}): Sink<Row> {
  const tx = sink.transactions;
  const wrapped: Sink<Row> = {
    name: sink.name,
    open: async (context) => sink.open?.(context),
    write: (batch, context) => {
      counts.writes += 1;
      return sink.write(batch, context);
    },
    close: (outcome) => sink.close(outcome),
  };
  if (tx === undefined) return wrapped;
  const begin = async (context: Parameters<typeof tx.begin>[0]): Promise<SinkTransaction<Row>> => {
    counts.begins += 1;
    const inner = await tx.begin(context);
    return {
      write: (batch, writeContext) => inner.write(batch, writeContext),
      commit: async (checkpoint) => {
        hooks.before?.(counts.commits);
        await inner.commit(checkpoint);
        counts.commits += 1;
        await hooks.after?.(checkpoint);
      },
      rollback: () => {
        counts.rollbacks += 1;
        return inner.rollback();
      },
    };
  };
  return { ...wrapped, transactions: { checkpoints: tx.checkpoints, begin } };
}

/**
 * A stage that aborts the run when the batch with this 1-based index is read, once `ready` says the
 * state to abort in was reached (so the case does not depend on how fast the sink writes).
 */
function abortAt(batch: number, controller: AbortController, ready: () => Promise<boolean>): Stage<Row, Row> {
  return async function* abortStage(batches) {
    let index = 0;
    for await (const b of batches) {
      index += 1;
      if (index === batch) {
        for (let waited = 0; waited < 10_000 && !(await ready()); waited += 5)
          await new Promise((resolve) => setTimeout(resolve, 5));
        controller.abort(new Error('conformance abort'));
      }
      yield b;
    }
  };
}

/**
 * Define the under-`run()` cases of the sink suite. Batches of 5 rows, `commitEvery` 10 and a read-ahead
 * of 8 batches: a transactional sink must commit 3 times for 25 rows (a lost window would make it 5).
 */
export function describeSinkRunCases(
  setup: () => Promise<SinkConformanceFixture>,
  test: (what: SinkConformanceCase, body: (skip: (reason: string) => never) => Promise<void>) => void,
  idempotent: boolean,
): void {
  const rows = conformanceRows(ROWS);
  const runId = `conformance-run-${process.pid}`;
  const runOnce = async (
    f: SinkConformanceFixture,
    sink: Sink<Row>,
    store: CheckpointStore,
    extra: Partial<RunOptions> & { stages?: Stage<Row, Row>[] } = {},
  ): Promise<RunResult> => {
    const sinkRows = rows.map((row) => (f.toSinkRow === undefined ? { ...row } : f.toSinkRow(row)));
    const ids = new Map(sinkRows.map((row, i) => [row, rows[i]!.id] as const));
    const keyOf = (row: Row): string => ids.get(row)!;
    const source = new FakeSource(sinkRows.length, (i) => sinkRows[i]!, { keyOf });
    const { stages, ...options } = extra;
    return run(
      { entities: [{ entity: ENTITY, source, sink, ...(stages === undefined ? {} : { stages }) }] },
      {
        runId,
        ...(sink.transactions === undefined ? { checkpoints: store } : {}),
        batchSize: 5,
        commitEvery: 10,
        maxInFlight: 8,
        retry: { retries: 0 },
        ...options,
      },
    );
  };
  const storeOf = (f: SinkConformanceFixture, sink: Sink<Row>): CheckpointStore =>
    sink.transactions?.checkpoints ?? f.checkpoints ?? new MemoryCheckpointStore();
  const count = async (f: SinkConformanceFixture): Promise<number> => (await f.readAll()).length;
  const zero = (): Counts => ({ writes: 0, begins: 0, commits: 0, rollbacks: 0 });

  test('run: commits per transaction', async () => {
    const f = await setup();
    const inner = await f.sink();
    const store = storeOf(f, inner);
    const counts = zero();
    const after = async (checkpoint: Checkpoint): Promise<void> => {
      // Rows and checkpoint durable together: what the target holds is what the checkpoint covers.
      expect(await count(f)).toBe(checkpoint.rowsWritten);
      expect(await store.load(checkpoint.runId, ENTITY)).toMatchObject({ sequence: checkpoint.sequence });
    };
    const result = await runOnce(f, counted(inner, counts, { after }), store);
    expect(result.status).toBe('completed');
    if (inner.transactions === undefined) expect(counts.writes).toBe(5);
    else expect(counts).toEqual({ writes: 0, begins: 3, commits: 3, rollbacks: 0 });
    expect(await count(f)).toBe(ROWS);
    const saved = await store.load(result.runId, ENTITY);
    expect(saved).toMatchObject({ status: 'completed', rowsWritten: ROWS, rowsRead: ROWS });
  });

  test('run: abort keeps the last commit', async () => {
    const f = await setup();
    const inner = await f.sink();
    const store = storeOf(f, inner);
    const controller = new AbortController();
    // Abort while batch 3 is in the second transaction, once the first one (10 rows) committed.
    const committed = async (): Promise<boolean> =>
      (await store.load(runId, ENTITY)) !== undefined || (await count(f)) >= 10;
    const first = await runOnce(f, inner, store, {
      signal: controller.signal,
      stages: [abortAt(4, controller, committed)],
    });
    expect(first.status).toBe('aborted');
    const saved = await store.load(first.runId, ENTITY);
    if (inner.transactions !== undefined) {
      expect(saved?.rowsWritten).toBe(10);
      expect(await count(f)).toBe(10);
    } else expect(await count(f)).toBeGreaterThanOrEqual(saved?.rowsWritten ?? 0);
    const resumed = await runOnce(f, await f.sink(), store);
    expect(resumed.status).toBe('completed');
    if (inner.transactions !== undefined || idempotent) expect(await count(f)).toBe(ROWS);
    else expect(await count(f)).toBeGreaterThanOrEqual(ROWS);
  });

  test('run: failed commit keeps the last commit', async (skip) => {
    const f = await setup();
    const inner = await f.sink();
    if (inner.transactions === undefined) return skip('a plain sink has no commit of its own');
    const store = storeOf(f, inner);
    const counts = zero();
    const before = (index: number): void => {
      if (index === 1) throw new Error('conformance: commit failed');
    };
    const first = await runOnce(f, counted(inner, counts, { before }), store);
    expect(first.status).toBe('failed');
    expect(counts.rollbacks).toBe(1);
    expect((await store.load(first.runId, ENTITY))?.rowsWritten).toBe(10);
    expect(await count(f)).toBe(10);
    const resumed = await runOnce(f, await f.sink(), store);
    expect(resumed.status).toBe('completed');
    expect(await count(f)).toBe(ROWS);
  });

  test('run: a second store is refused', async (skip) => {
    const f = await setup();
    const inner = await f.sink();
    if (inner.transactions === undefined) return skip("a plain sink uses the run's store");
    const refused = await runOnce(f, inner, inner.transactions.checkpoints, {
      checkpoints: new MemoryCheckpointStore(),
    }).catch((error: unknown) => error);
    expect(isFerryError(refused) && refused.reason === 'invalid-config').toBe(true);
    await inner.close('aborted');
  });
}
