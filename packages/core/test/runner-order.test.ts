import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import type { Row } from '@ferry/core';
import { FakeSink, FakeSource, RecordingSink } from '@ferry/core/testing';

const ROWS = 100_000;

describe('runner: order and completeness', () => {
  it.each([1, 7, 1000])(
    'moves %i-row batches of 100k rows in key order, each row once',
    async (batchSize) => {
      const source = FakeSource.synthetic(ROWS);
      const sink = new RecordingSink();
      const checkpoints = new MemoryCheckpointStore();
      const result = await run(
        { entities: [{ entity: 'Big', source, sink }] },
        { runId: `order-${batchSize}`, checkpoints, batchSize },
      );
      expect(result.status).toBe('completed');
      const rows = sink.target.rows;
      expect(rows).toHaveLength(ROWS);
      for (let i = 0; i < ROWS; i += 1) {
        if ((rows[i] as Row).id !== String(i + 1)) expect.fail(`row ${i} is ${String((rows[i] as Row).id)}`);
      }
      expect(result.entities[0]).toMatchObject({ rowsRead: ROWS, rowsWritten: ROWS, status: 'completed' });
      const saved = await checkpoints.load(`order-${batchSize}`, 'Big');
      expect(saved).toMatchObject({
        status: 'completed',
        rowsWritten: ROWS,
        sequence: Math.ceil(ROWS / batchSize),
      });
      expect(sink.closes).toEqual(['completed']);
    },
  );

  it('keeps every row with 8 batches in flight completing out of order', async () => {
    const source = FakeSource.synthetic(5_000);
    const sink = new FakeSink({ delayMs: () => Math.random() * 3 });
    const result = await run(
      { entities: [{ entity: 'E', source, sink, maxInFlight: 8 }] },
      { runId: 'ooo', checkpoints: new MemoryCheckpointStore(), batchSize: 50 },
    );
    expect(result.status).toBe('completed');
    const ids = sink.target.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    const order = sink.writes.map((w) => w.sequence);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });
});
