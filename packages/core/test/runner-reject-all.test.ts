// Issue 14, case 6: with no reject threshold, an entity whose every row is rejected used to end
// "completed" (exit 0). The default now fails it (FERRY_REJECT_ALL) and leaves it resumable, not
// completed; a threshold given explicitly replaces the default; an empty entity still completes.

import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, MemoryRejectSink, run } from '@ferry/core';
import type { Batch, RejectThreshold, Row, Stage } from '@ferry/core';
import { FakeSink, FakeSource } from '@ferry/core/testing';

const rejectAll: Stage = async function* rejectAll(input) {
  for await (const batch of input) {
    const rejects = batch.rows.map((row) => ({
      entity: 'E',
      key: [String(row.id)],
      rule: 'test',
      message: 'rejected',
    }));
    yield { ...batch, rows: [], rejects } satisfies Batch<Row>;
  }
};

async function runAllRejected(rows: number, rejectThreshold?: RejectThreshold) {
  const checkpoints = new MemoryCheckpointStore();
  const pipeline = {
    entity: 'E',
    source: FakeSource.synthetic(rows),
    sink: new FakeSink(),
    stages: [rejectAll],
  };
  const result = await run(
    { entities: [pipeline] },
    {
      runId: 'reject-all',
      checkpoints,
      batchSize: 100,
      rejects: new MemoryRejectSink(),
      ...(rejectThreshold === undefined ? {} : { rejectThreshold }),
    },
  );
  return { result, checkpoint: await checkpoints.load('reject-all', 'E') };
}

describe('runner: an entity that writes nothing of what it read', () => {
  it('fails by default when every row was rejected, and is not marked completed', async () => {
    const { result, checkpoint } = await runAllRejected(799);
    expect(result.status).toBe('failed');
    expect(result.entities[0]?.error?.code).toBe('FERRY_REJECT_ALL');
    expect(result.entities[0]?.error?.message).toContain('rejects.maxRows');
    expect(checkpoint?.status).not.toBe('completed');
    expect(checkpoint?.rowsRejected).toBe(799);
  });

  it('passes with an explicit threshold that allows it, and with an empty source', async () => {
    expect((await runAllRejected(799, { maxRatio: 1 })).result.status).toBe('completed');
    expect((await runAllRejected(0)).result.status).toBe('completed');
  });
});
