// An ordered sink that commits rows and checkpoint together may group many batches into one
// transaction: the runner keeps several batches in flight and hands each the checkpoint projected over
// every batch before it. Regression for exactly-once mode committing once per 1000-row batch.
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import type { Batch, Checkpoint, Row, Sink, SinkOutcome } from '@ferry/core';
import { FakeSource, syntheticRow } from '@ferry/core/testing';

const rowsOf = (n: number): Row[] => Array.from({ length: n }, (_, i) => syntheticRow(i));

/** Groups batches into transactions of `group` batches; a commit stores rows and the last checkpoint. */
class OrderedTxSink implements Sink {
  readonly name = 'ordered-tx';
  readonly ordered = true;
  readonly committedRows: Row[] = [];
  readonly transactions: number[] = [];
  #pending: {
    rows: readonly Row[];
    checkpoint: Checkpoint;
    resolve: () => void;
    reject: (e: Error) => void;
  }[] = [];
  #failed = false;

  constructor(
    readonly store: MemoryCheckpointStore,
    readonly group: number,
    readonly crashAtBatch = Number.POSITIVE_INFINITY,
  ) {}

  async write(): Promise<void> {
    throw new Error('write must not be used');
  }

  writeWithCheckpoint(batch: Batch, checkpoint: Checkpoint): Promise<void> {
    if (this.#failed) return Promise.reject(new Error('refused after failure'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ rows: batch.rows, checkpoint, resolve, reject });
      if (checkpoint.sequence >= this.crashAtBatch) return void this.#fail();
      if (this.#pending.length >= this.group) void this.#commit();
    });
  }

  async flush(): Promise<void> {
    await this.#commit();
  }

  async close(outcome: SinkOutcome): Promise<void> {
    if (outcome === 'completed') await this.#commit();
    else this.#fail();
  }

  async #commit(): Promise<void> {
    const group = this.#pending;
    this.#pending = [];
    if (group.length === 0 || this.#failed) return;
    await new Promise((r) => setTimeout(r, 1));
    for (const item of group) this.committedRows.push(...item.rows);
    await this.store.save(group[group.length - 1]!.checkpoint);
    this.transactions.push(group.length);
    for (const item of group) item.resolve();
  }

  #fail(): void {
    this.#failed = true;
    const group = this.#pending;
    this.#pending = [];
    for (const item of group) item.reject(new Error('transaction rolled back'));
  }
}

describe('runner: ordered sinks with writeWithCheckpoint', () => {
  it('keeps several batches in flight so one transaction covers many, checkpoint = last batch', async () => {
    const store = new MemoryCheckpointStore();
    const sink = new OrderedTxSink(store, 5);
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(1000), sink }] },
      { runId: 'ordered', checkpoints: store, batchSize: 10, maxInFlight: 5 },
    );
    expect(result.status).toBe('completed');
    expect(sink.committedRows.map((r) => r.id)).toEqual(rowsOf(1000).map((r) => r.id));
    expect(Math.max(...sink.transactions)).toBe(5);
    expect(sink.transactions.length).toBeLessThanOrEqual(25);
    expect(await store.load('ordered', 'E')).toMatchObject({
      status: 'completed',
      sequence: 100,
      rowsWritten: 1000,
    });
  });

  it('after a failed transaction, resume continues from the last committed checkpoint: every row exactly once', async () => {
    const store = new MemoryCheckpointStore();
    const rows = rowsOf(500);
    const first = new OrderedTxSink(store, 4, 23);
    const failed = await run(
      { entities: [{ entity: 'E', source: FakeSource.fromRows(rows), sink: first }] },
      { runId: 'crash', checkpoints: store, batchSize: 10, maxInFlight: 4, retry: { retries: 0 } },
    );
    expect(failed.status).toBe('failed');
    const saved = await store.load('crash', 'E');
    expect(saved?.rowsWritten).toBe(first.committedRows.length);
    const second = new OrderedTxSink(store, 4);
    const resumed = await run(
      { entities: [{ entity: 'E', source: FakeSource.fromRows(rows), sink: second }] },
      { runId: 'crash', checkpoints: store, batchSize: 10, maxInFlight: 4 },
    );
    expect(resumed.status).toBe('completed');
    const all = [...first.committedRows, ...second.committedRows].map((r) => r.id);
    expect(all).toEqual(rows.map((r) => r.id));
    expect(await store.load('crash', 'E')).toMatchObject({ status: 'completed', rowsWritten: 500 });
  });
});
