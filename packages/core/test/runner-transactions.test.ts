// Runner-owned transactions: a sink with `transactions` gets batches in sequence inside one open
// transaction, committed with the checkpoint every `commitEvery` source rows; the runner takes the
// checkpoint store from the sink and refuses a second one. Abort and failure keep the last commit.
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import type { Row } from '@ferry/core';
import { FakeSource, RecordingSink, TransactionSink, syntheticRow } from '@ferry/core/testing';

const rowsOf = (n: number): Row[] => Array.from({ length: n }, (_, i) => syntheticRow(i));

describe('runner: sinks with transactions', () => {
  it('commits every commitEvery rows, the checkpoint covering the last batch, with many batches read ahead', async () => {
    const sink = new TransactionSink();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(1000), sink }] },
      { runId: 'tx', batchSize: 10, maxInFlight: 5, commitEvery: 250 },
    );
    expect(result.status).toBe('completed');
    expect(sink.target.rows.map((r) => r.id)).toEqual(rowsOf(1000).map((r) => r.id));
    expect(sink.transactionBatches).toEqual([25, 25, 25, 25]);
    expect(sink.writeCalls).toBe(0);
    expect(await sink.transactions.checkpoints.load('tx', 'E')).toMatchObject({
      status: 'completed',
      sequence: 100,
      rowsWritten: 1000,
    });
  });

  it('a pipeline commitEvery overrides the run one; the tail commits at the end', async () => {
    const sink = new TransactionSink();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(95), sink, commitEvery: 40 }] },
      { runId: 'tail', batchSize: 10, commitEvery: 1000 },
    );
    expect(result.status).toBe('completed');
    expect(sink.transactionBatches).toEqual([4, 4, 2]);
  });

  it('after a failed commit, resume continues from the last committed checkpoint: every row exactly once', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const rows = rowsOf(500);
    const first = new TransactionSink({ checkpoints, failCommitAt: 2 });
    const failed = await run(
      { entities: [{ entity: 'E', source: FakeSource.fromRows(rows), sink: first }] },
      { runId: 'crash', batchSize: 10, commitEvery: 40, retry: { retries: 0 } },
    );
    expect(failed.status).toBe('failed');
    expect(first.rollbacks).toBe(1);
    expect((await checkpoints.load('crash', 'E'))?.rowsWritten).toBe(80);
    const second = new TransactionSink({ checkpoints, target: first.target });
    const resumed = await run(
      { entities: [{ entity: 'E', source: FakeSource.fromRows(rows), sink: second }] },
      { runId: 'crash', checkpoints, batchSize: 10, commitEvery: 40 },
    );
    expect(resumed.status).toBe('completed');
    expect(first.target.rows.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(await checkpoints.load('crash', 'E')).toMatchObject({ status: 'completed', rowsWritten: 500 });
  });

  it('a retryable failure retries from the last commit inside the same run', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const sink = new TransactionSink({ checkpoints });
    const source = FakeSource.synthetic(200, { failAt: { batch: 12 } });
    const result = await run(
      { entities: [{ entity: 'E', source, sink }] },
      { runId: 'retry', batchSize: 10, commitEvery: 50, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } },
    );
    expect(result.status).toBe('completed');
    expect(sink.target.rows).toHaveLength(200);
    expect(sink.rollbacks).toBe(1);
    // The read failed at rows 121-130: the last commit before it covered 50 or 100 rows (timing).
    const offsets = source.reads.map((p) => (p === null ? null : (p as { offset: string }).offset));
    expect(offsets).toHaveLength(2);
    expect(['50', '100']).toContain(offsets[1]);
  });

  it('an abort rolls back the open transaction and keeps the last committed checkpoint', async () => {
    const controller = new AbortController();
    const sink = new TransactionSink();
    const result = await run(
      {
        entities: [
          {
            entity: 'E',
            source: FakeSource.synthetic(1000),
            sink,
            stages: [
              async function* abortAt(batches) {
                let n = 0;
                for await (const batch of batches) {
                  if ((n += 1) === 8) controller.abort();
                  yield batch;
                }
              },
            ],
          },
        ],
      },
      { runId: 'abort', batchSize: 10, commitEvery: 30, signal: controller.signal },
    );
    expect(result.status).toBe('aborted');
    expect(sink.rollbacks).toBe(1);
    // Batches 1-7 were read before the abort; 30 or 60 rows committed, depending on how far the writes got.
    const saved = await sink.transactions.checkpoints.load('abort', 'E');
    expect([30, 60]).toContain(saved?.rowsWritten);
    expect(sink.target.rows).toHaveLength(saved!.rowsWritten);
    expect(sink.closes).toEqual(['aborted']);
  });

  it('refuses a run store that is not the store the sink commits into', async () => {
    const sink = new TransactionSink();
    await expect(
      run(
        { entities: [{ entity: 'E', source: FakeSource.synthetic(5), sink }] },
        { runId: 'two-stores', checkpoints: new MemoryCheckpointStore() },
      ),
    ).rejects.toMatchObject({ reason: 'invalid-config', message: expect.stringMatching(/own store/) });
    expect(sink.opens).toBe(0);
  });

  it('refuses a plain sink without a run store', async () => {
    const plan = {
      entities: [
        { entity: 'T', source: FakeSource.synthetic(5), sink: new TransactionSink() },
        { entity: 'P', source: FakeSource.synthetic(5), sink: new RecordingSink() },
      ],
    };
    await expect(run(plan, { runId: 'no-store' })).rejects.toMatchObject({
      reason: 'invalid-config',
      message: expect.stringMatching(/pass options.checkpoints/),
    });
  });
});
