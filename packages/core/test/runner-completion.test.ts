import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, MemoryRejectSink, run } from '@ferry/core';
import type {
  Batch,
  Checkpoint,
  RejectRecord,
  Row,
  RunEvent,
  Sink,
  SinkOutcome,
  Stage,
  WriteContext,
} from '@ferry/core';
import { FakeSource, RecordingSink } from '@ferry/core/testing';

describe('runner: completion, writeWithCheckpoint, grouping sinks, rejects', () => {
  it('re-running a finished run reports already-completed and writes nothing', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const plan = (sink: RecordingSink) => ({
      entities: [
        { entity: 'A', source: FakeSource.synthetic(30), sink },
        { entity: 'B', dependsOn: ['A'], source: FakeSource.synthetic(0), sink: new RecordingSink() },
      ],
    });
    const first = await run(plan(new RecordingSink()), { runId: 'done', checkpoints, batchSize: 7 });
    expect(first.status).toBe('completed');
    const sink = new RecordingSink();
    const events: RunEvent[] = [];
    const again = await run(plan(sink), { runId: 'done', checkpoints, onEvent: (e) => events.push(e) });
    expect(again).toMatchObject({ status: 'already-completed', resumable: false });
    expect(again.entities.map((e) => [e.status, e.skipReason, e.rowsWritten])).toEqual([
      ['skipped', 'completed', 30],
      ['skipped', 'completed', 0],
    ]);
    expect([sink.opens, sink.writeCalls, sink.closes.length]).toEqual([0, 0, 0]);
    expect(events.filter((e) => e.type === 'entity:skip')).toHaveLength(2);
    expect(events.some((e) => e.type === 'run:start' && e.resumed)).toBe(true);
  });

  it('with writeWithCheckpoint, the sink commits each checkpoint (valid: every earlier batch durable) and the runner the completed marker', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const saved: Checkpoint[] = [];
    const rows: Row[] = [];
    let inFlight = 0;
    const sink: Sink = {
      name: 'tx-sink',
      async write() {
        throw new Error('write must not be used');
      },
      async writeWithCheckpoint(batch: Batch, checkpoint: Checkpoint) {
        inFlight += 1;
        expect(inFlight).toBe(1);
        expect(checkpoint.rowsWritten).toBe(rows.length + batch.rows.length);
        await new Promise((r) => setTimeout(r, 1));
        rows.push(...batch.rows);
        saved.push(checkpoint);
        await checkpoints.save(checkpoint);
        inFlight -= 1;
      },
      async close() {},
    };
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(25), sink }] },
      { runId: 'wwc', checkpoints, batchSize: 10, maxInFlight: 8 },
    );
    expect(result.status).toBe('completed');
    expect(rows).toHaveLength(25);
    expect(saved.map((c) => [c.sequence, c.status])).toEqual([
      [1, 'running'],
      [2, 'running'],
      [3, 'running'],
    ]);
    expect(await checkpoints.load('wwc', 'E')).toMatchObject({
      status: 'completed',
      sequence: 3,
      rowsWritten: 25,
    });
  });

  it('flushes a sink that groups batches into one transaction, so the run never waits forever', async () => {
    class GroupingSink implements Sink {
      readonly name = 'grouping';
      pending: (() => void)[] = [];
      committed = 0;
      closes: SinkOutcome[] = [];
      write(batch: Batch, _context: WriteContext): Promise<void> {
        return new Promise((resolve) =>
          this.pending.push(() => ((this.committed += batch.rows.length), resolve())),
        );
      }
      async flush(): Promise<void> {
        const group = this.pending;
        this.pending = [];
        for (const commit of group) commit();
      }
      async close(outcome: SinkOutcome): Promise<void> {
        this.closes.push(outcome);
      }
    }
    const sink = new GroupingSink();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(95), sink }] },
      { runId: 'group', checkpoints: new MemoryCheckpointStore(), batchSize: 10, maxInFlight: 3 },
    );
    expect(result.status).toBe('completed');
    expect(sink.committed).toBe(95);
    expect(sink.closes).toEqual(['completed']);
  });

  it('fails the run when the reject threshold is crossed, after recording the rejects', async () => {
    const rejectAll: Stage = async function* rejectAll(input) {
      for await (const batch of input) {
        const rejects: RejectRecord[] = batch.rows.map((row) => ({
          entity: 'E',
          key: [String(row.id)],
          rule: 'mandatory',
          message: 'Name is empty',
        }));
        yield { ...batch, rows: [], rejects };
      }
    };
    const rejects = new MemoryRejectSink();
    const result = await run(
      {
        entities: [
          { entity: 'E', source: FakeSource.synthetic(100), sink: new RecordingSink(), stages: [rejectAll] },
        ],
      },
      {
        runId: 'threshold',
        checkpoints: new MemoryCheckpointStore(),
        batchSize: 10,
        rejects,
        rejectThreshold: { maxRows: 25 },
        maxInFlight: 1,
      },
    );
    expect(result.status).toBe('failed');
    expect(result.entities[0]?.error).toMatchObject({
      code: 'FERRY_REJECT_THRESHOLD',
      reason: 'invalid-data',
    });
    expect(rejects.records).toHaveLength(30);
  });

  it('reports totals from source.count, rows/s and cumulative counters in events', async () => {
    const events: RunEvent[] = [];
    await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(42), sink: new RecordingSink() }] },
      {
        runId: 'ev',
        checkpoints: new MemoryCheckpointStore(),
        batchSize: 10,
        onEvent: (e) => events.push(e),
      },
    );
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run:start');
    expect(types.at(-1)).toBe('run:end');
    expect(events.find((e) => e.type === 'entity:start')).toMatchObject({ totalRows: 42, resumedFrom: null });
    const durable = events.filter((e) => e.type === 'batch:durable');
    expect(durable).toHaveLength(5);
    expect(durable.at(-1)).toMatchObject({ rowsWritten: 42, rowsRead: 42, totalRows: 42 });
    expect(durable.every((e) => e.rowsPerSecond >= 0)).toBe(true);
    expect(events.find((e) => e.type === 'entity:end')).toMatchObject({
      status: 'completed',
      rowsWritten: 42,
    });
  });
});
