import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, MemoryRejectSink, run } from '@ferry/core';
import type { Checkpoint, RejectRecord, RunEvent, Stage } from '@ferry/core';
import { FakeSource, RecordingSink, TransactionSink } from '@ferry/core/testing';

describe('runner: completion, transactions, rejects', () => {
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

  it('with transactions, the sink commits each checkpoint with its rows and the runner the completed marker', async () => {
    const sink = new TransactionSink();
    const saved: Checkpoint[] = [];
    const store = sink.transactions.checkpoints;
    const save = store.save.bind(store);
    store.save = async (checkpoint) => {
      saved.push(checkpoint);
      expect(checkpoint.rowsWritten).toBe(checkpoint.status === 'completed' ? 25 : sink.target.rows.length);
      await save(checkpoint);
    };
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(25), sink }] },
      { runId: 'wwc', batchSize: 10, maxInFlight: 8, commitEvery: 10 },
    );
    expect(result.status).toBe('completed');
    expect(sink.target.rows).toHaveLength(25);
    expect(saved.map((c) => [c.sequence, c.status])).toEqual([
      [1, 'running'],
      [2, 'running'],
      [3, 'running'],
      [3, 'completed'],
    ]);
  });

  it('writes rejects before the transaction that covers them commits', async () => {
    const rejects = new MemoryRejectSink();
    const sink = new TransactionSink();
    const store = sink.transactions.checkpoints;
    const save = store.save.bind(store);
    store.save = async (checkpoint) => {
      expect(rejects.records).toHaveLength(checkpoint.rowsRejected);
      await save(checkpoint);
    };
    const rejectOdd: Stage = async function* rejectOdd(input) {
      for await (const batch of input) {
        const odd = batch.rows.filter((row) => Number(row.id) % 2 === 1);
        const records: RejectRecord[] = odd.map((row) => ({
          entity: 'E',
          key: [String(row.id)],
          rule: 'mandatory',
          message: 'odd',
        }));
        yield { ...batch, rows: batch.rows.filter((row) => !odd.includes(row)), rejects: records };
      }
    };
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(40), sink, stages: [rejectOdd] }] },
      { runId: 'rejects-tx', batchSize: 10, commitEvery: 20, rejects },
    );
    expect(result.status).toBe('completed');
    expect(result.entities[0]).toMatchObject({ rowsWritten: 20, rowsRejected: 20 });
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
