import { describe, expect, it } from 'vitest';
import { FerryError, MemoryCheckpointStore, run } from '@ferry/core';
import type { RunEvent } from '@ferry/core';
import { FakeSink, FakeSource, MemoryTarget } from '@ferry/core/testing';

const ROWS = 47;
const BATCH = 5;
const BATCHES = Math.ceil(ROWS / BATCH);
const ids = Array.from({ length: ROWS }, (_, i) => String(i + 1));

const permanent = (): Error => new FerryError('injected', { code: 'FERRY_PG_ERROR', reason: 'constraint' });

describe('runner: resume after a failure at every batch index', () => {
  it.each(Array.from({ length: BATCHES }, (_, i) => i))(
    'sink fails at batch %i: resume writes every row exactly once',
    async (failAt) => {
      const target = new MemoryTarget();
      const checkpoints = new MemoryCheckpointStore();
      const runId = `sink-fail-${failAt}`;
      const first = await run(
        {
          entities: [
            {
              entity: 'E',
              source: FakeSource.synthetic(ROWS),
              sink: new FakeSink({ target, failAt: { write: failAt, error: permanent } }),
            },
          ],
        },
        { runId, checkpoints, batchSize: BATCH, maxInFlight: 1 },
      );
      expect(first).toMatchObject({ status: 'failed', resumable: true });
      expect(first.entities[0]?.error?.message).toMatch(/entity "E".*write.*injected/);
      expect(target.rows).toHaveLength(failAt * BATCH);
      const second = await run(
        { entities: [{ entity: 'E', source: FakeSource.synthetic(ROWS), sink: new FakeSink({ target }) }] },
        { runId, checkpoints, batchSize: BATCH, maxInFlight: 1 },
      );
      expect(second.status).toBe('completed');
      expect(target.rows.map((r) => r.id)).toEqual(ids);
      expect(second.entities[0]).toMatchObject({ rowsRead: ROWS, rowsWritten: ROWS });
    },
  );

  it.each(Array.from({ length: BATCHES }, (_, i) => i))(
    'source fails at batch %i with 4 in flight (idempotent sink): resume ends with every row once',
    async (failAt) => {
      const target = new MemoryTarget();
      const checkpoints = new MemoryCheckpointStore();
      const runId = `source-fail-${failAt}`;
      const source = FakeSource.synthetic(ROWS, { failAt: { batch: failAt, error: permanent } });
      const sink = (): FakeSink =>
        new FakeSink({ target, idempotent: true, delayMs: () => Math.random() * 2 });
      const first = await run(
        { entities: [{ entity: 'E', source, sink: sink() }] },
        { runId, checkpoints, batchSize: BATCH },
      );
      expect(first.status).toBe('failed');
      expect(first.entities[0]?.error?.operation).toBe('read');
      const second = await run(
        { entities: [{ entity: 'E', source: FakeSource.synthetic(ROWS), sink: sink() }] },
        { runId, checkpoints, batchSize: BATCH },
      );
      expect(second.status).toBe('completed');
      expect(target.rows.map((r) => r.id)).toEqual(ids);
      expect(target.duplicateKeys()).toEqual([]);
    },
  );
});

describe('runner: abort and resume', () => {
  it.each([
    [1, false],
    [4, false],
    [1, true],
    [4, true],
  ])(
    'abort mid-run with %i in flight (rollback of pending writes: %s), then resume: every row exactly once',
    async (maxInFlight, rollbackOnAbort) => {
      // Rolling back out-of-order writes leaves durable batches beyond the gap: only an idempotent sink
      // makes their re-write harmless (see README, "Guarantees").
      const idempotent = rollbackOnAbort && maxInFlight > 1;
      const target = new MemoryTarget();
      const checkpoints = new MemoryCheckpointStore();
      const controller = new AbortController();
      const sink1 = new FakeSink({
        target,
        idempotent,
        rollbackOnAbort,
        delayMs: () => 1 + Math.random() * 3,
      });
      const events: RunEvent[] = [];
      const first = await run(
        { entities: [{ entity: 'E', source: FakeSource.synthetic(400), sink: sink1 }] },
        {
          runId: 'abort',
          checkpoints,
          batchSize: 10,
          maxInFlight,
          signal: controller.signal,
          onEvent: (event) => {
            events.push(event);
            if (event.type === 'batch:durable' && event.sequence === 7) controller.abort();
          },
        },
      );
      expect(first).toMatchObject({ status: 'aborted', resumable: true });
      expect(first.entities[0]?.status).toBe('aborted');
      expect(sink1.closes).toEqual(['aborted']);
      expect(target.rows.length).toBeLessThan(400);
      const saved = await checkpoints.load('abort', 'E');
      expect(saved?.status).toBe('running');
      // the checkpoint covers only durable rows
      for (const id of ids400().slice(0, saved!.rowsWritten)) expect(target.has(id)).toBe(true);
      const sink2 = new FakeSink({ target, idempotent });
      const second = await run(
        { entities: [{ entity: 'E', source: FakeSource.synthetic(400), sink: sink2 }] },
        { runId: 'abort', checkpoints, batchSize: 10, maxInFlight },
      );
      expect(second.status).toBe('completed');
      expect(target.duplicateKeys()).toEqual([]);
      expect(target.rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(ids400());
      expect(events.some((e) => e.type === 'run:start' && !e.resumed)).toBe(true);
    },
  );

  it('an already aborted signal starts nothing and is resumable', async () => {
    const controller = new AbortController();
    controller.abort();
    const sink = new FakeSink();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(10), sink }] },
      { runId: 'pre-aborted', checkpoints: new MemoryCheckpointStore(), signal: controller.signal },
    );
    expect(result).toMatchObject({ status: 'aborted', resumable: true });
    expect(sink.opens).toBe(0);
  });
});

function ids400(): string[] {
  return Array.from({ length: 400 }, (_, i) => String(i + 1));
}
