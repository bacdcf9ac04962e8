// Notes a stage attaches to batches (issue 14, case 5: "note counts grow with retries") are kept in
// the checkpoint once the batch is durable, so a batch read again after a failed write and a retry is
// counted once. Expected values come from the source ids, not from the runner.

import { describe, expect, it } from 'vitest';
import { FerryError, MemoryCheckpointStore, run } from '@ferry/core';
import type { Stage } from '@ferry/core';
import { FakeSink, FakeSource } from '@ferry/core/testing';

const ROWS = 100;
const oddIds = Array.from({ length: ROWS }, (_, i) => i + 1).filter((id) => id % 2 === 1).length; // 50

describe('runner: batch notes in the checkpoint', () => {
  it('counts each row once although a failed write made the runner read batches again', async () => {
    let seen = 0;
    const noteOdd: Stage = async function* noteOdd(input) {
      for await (const batch of input) {
        const odd = batch.rows.filter((row) => Number(row.id) % 2 === 1).length;
        seen += odd;
        yield odd === 0 ? batch : { ...batch, notes: { 'Id odd': odd } };
      }
    };
    const checkpoints = new MemoryCheckpointStore();
    // The 5th write fails once (retryable): what was read after the durable prefix is read again.
    const sink = new FakeSink({
      failAt: {
        write: 4,
        error: () => new FerryError('lost connection', { code: 'FERRY_PG_ERROR', reason: 'connection' }),
      },
    });
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(ROWS), sink, stages: [noteOdd] }] },
      { runId: 'notes', checkpoints, batchSize: 10, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } },
    );
    expect(result.status).toBe('completed');
    expect(seen).toBeGreaterThan(oddIds); // the stage did count some rows twice
    expect((await checkpoints.load('notes', 'E'))?.notes).toEqual({ 'Id odd': oddIds });
  });
});
