// The reject sink against the counts: a transaction that is rolled back (its read failed, or its
// commit failed) and retried in the same run leaves each reject line once, so the lines equal the
// rejected rows the result counts; a transaction that never commits leaves none of its rejects.

import { describe, expect, it } from 'vitest';
import { FerryError, MemoryCheckpointStore, MemoryRejectSink, run } from '@ferry/core';
import { FakeSource, TransactionSink } from '@ferry/core/testing';
import { rejectIds } from './fixtures/reject-stage.js';

const ROWS = 100;
/** Ids 1..100: multiples of 7 are rejected by the stage. */
const rejected = (id: number): boolean => id % 7 === 0;
const ids = Array.from({ length: ROWS }, (_, i) => i + 1);

const rejectSevens = rejectIds(rejected, 'multiple of 7');

const options = (runId: string, rejects: MemoryRejectSink, retries: number) => ({
  runId,
  batchSize: 9,
  commitEvery: 40,
  rejects,
  retry: { retries, minDelayMs: 1, maxDelayMs: 2 },
});

describe('runner: reject lines of rolled-back transactions', () => {
  it('a read failure mid-transaction, retried: each reject once, as many as counted', async () => {
    const sink = new TransactionSink({ checkpoints: new MemoryCheckpointStore() });
    const rejects = new MemoryRejectSink();
    const source = FakeSource.synthetic(ROWS, { failAt: { batch: 3 } });
    const result = await run(
      { entities: [{ entity: 'E', source, sink, stages: [rejectSevens] }] },
      options('read-retry', rejects, 2),
    );
    expect(result.status).toBe('completed');
    expect(sink.rollbacks).toBe(1);
    expect(rejects.records.map((r) => Number(r.key[0]))).toEqual(ids.filter(rejected));
    expect(result.entities[0]!.rowsRejected).toBe(ids.filter(rejected).length);
  });

  it('a failed commit, retried: the lines it wrote are not written again', async () => {
    const sink = new TransactionSink({ failCommitAt: 1, failCommitReason: 'connection' });
    const rejects = new MemoryRejectSink();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(ROWS), sink, stages: [rejectSevens] }] },
      options('commit-retry', rejects, 2),
    );
    expect(result.status).toBe('completed');
    expect(sink.rollbacks).toBe(1);
    expect(rejects.records.map((r) => Number(r.key[0]))).toEqual(ids.filter(rejected));
    expect(result.entities[0]!.rowsRejected).toBe(ids.filter(rejected).length);
  });

  it('a transaction that fails before its commit leaves none of its rejects', async () => {
    const sink = new TransactionSink({ checkpoints: new MemoryCheckpointStore() });
    const rejects = new MemoryRejectSink();
    const error = () => new FerryError('refused', { code: 'FERRY_PG_ENCODE', reason: 'invalid-data' });
    // Batch 3 (rows 28-36) is read in the first transaction (rows 1-45), after batches 0-2 were written.
    const source = FakeSource.synthetic(ROWS, { failAt: { batch: 3, error } });
    const result = await run(
      { entities: [{ entity: 'E', source, sink, stages: [rejectSevens] }] },
      { ...options('no-retry', rejects, 0), maxInFlight: 1 },
    );
    expect(result.status).toBe('failed');
    expect(sink.rollbacks).toBe(1);
    expect(rejects.records).toEqual([]);
    expect(result.entities[0]!.rowsRejected).toBe(0);
  });
});
