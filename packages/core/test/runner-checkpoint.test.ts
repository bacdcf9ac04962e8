import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, MemoryRejectSink, isKeyPosition, rebatch, run } from '@ferry/core';
import type { Batch, Checkpoint, RejectRecord, Row, Stage } from '@ferry/core';
import { FakeSink, FakeSource } from '@ferry/core/testing';

/** Fails the test at the first save whose position covers a row that is not durable yet. */
class AheadCheckingStore extends MemoryCheckpointStore {
  saves = 0;
  constructor(
    readonly durable: () => ReadonlySet<string>,
    readonly rejected: () => ReadonlySet<string>,
  ) {
    super();
  }
  override async save(checkpoint: Checkpoint): Promise<void> {
    this.saves += 1;
    const last = isKeyPosition(checkpoint.position) ? Number(checkpoint.position.key[0]) : 0;
    const durable = this.durable();
    const rejected = this.rejected();
    for (let id = 1; id <= last; id += 1) {
      const key = String(id);
      if (!durable.has(key) && !rejected.has(key))
        throw new Error(`checkpoint at ${last} ran ahead of row ${id}`);
    }
    // split pieces carry the previous position, so the counters may be ahead of it, never behind
    if (checkpoint.rowsWritten + checkpoint.rowsRejected < last)
      throw new Error(`counters behind position ${last}`);
    return super.save(checkpoint);
  }
}

/** Rejects every row whose id is a multiple of 13 (and counts it as a reject of the batch). */
const rejectThirteens: Stage = async function* rejectThirteens(input) {
  for await (const batch of input) {
    const rejects: RejectRecord[] = [];
    const rows = batch.rows.filter((row) => {
      const bad = Number(row.id) % 13 === 0;
      if (bad) rejects.push({ entity: 'E', key: [String(row.id)], rule: 'test', message: 'multiple of 13' });
      return !bad;
    });
    yield { ...batch, rows, rejects: [...(batch.rejects ?? []), ...rejects] } satisfies Batch<Row>;
  }
};

describe('runner: checkpoints never run ahead of durable data', () => {
  it.each([
    ['plain batches', 37, []],
    ['split batches (rebatch)', 100, [rebatch<Row>({ rows: 9 })]],
  ] as const)('with a sink completing out of order: %s', async (_label, batchSize, stages) => {
    const ROWS = 3_000;
    const rejects = new MemoryRejectSink();
    const sink = new FakeSink({ delayMs: () => Math.random() * 4 });
    const durable = (): ReadonlySet<string> => new Set(sink.target.rows.map((r) => String(r.id)));
    const rejectedKeys = (): ReadonlySet<string> => new Set(rejects.records.map((r) => r.key[0]!));
    const checkpoints = new AheadCheckingStore(durable, rejectedKeys);
    const result = await run(
      {
        entities: [
          {
            entity: 'E',
            source: FakeSource.synthetic(ROWS),
            sink,
            stages: [rejectThirteens, ...stages],
            maxInFlight: 6,
          },
        ],
      },
      { runId: 'ahead', checkpoints, batchSize, rejects },
    );
    expect(result.entities[0]?.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(checkpoints.saves).toBeGreaterThan(10);
    const rejectedCount = Math.floor(ROWS / 13);
    expect(result.entities[0]).toMatchObject({
      rowsRead: ROWS,
      rowsWritten: ROWS - rejectedCount,
      rowsRejected: rejectedCount,
    });
    expect(sink.target.rows).toHaveLength(ROWS - rejectedCount);
    expect(sink.target.duplicateKeys()).toEqual([]);
  });

  it('writes a batch’s rejects before the checkpoint that covers it', async () => {
    const order: string[] = [];
    const rejects = new (class extends MemoryRejectSink {
      override write(records: readonly RejectRecord[]): Promise<void> {
        order.push(`rejects:${records.map((r) => r.key[0]).join(',')}`);
        return super.write(records);
      }
    })();
    const checkpoints = new (class extends MemoryCheckpointStore {
      override save(checkpoint: Checkpoint): Promise<void> {
        order.push(`save:${checkpoint.sequence}`);
        return super.save(checkpoint);
      }
    })();
    await run(
      {
        entities: [
          { entity: 'E', source: FakeSource.synthetic(30), sink: new FakeSink(), stages: [rejectThirteens] },
        ],
      },
      { runId: 'rej', checkpoints, batchSize: 10, rejects, maxInFlight: 1 },
    );
    expect(order).toEqual(['save:1', 'rejects:13', 'save:2', 'rejects:26', 'save:3', 'save:3']);
  });
});
