import { describe, expect, it } from 'vitest';
import { FerryError, MemoryCheckpointStore, backoffDelay, mapRows, run } from '@ferry/core';
import type { Row, RunEvent } from '@ferry/core';
import { FakeSink, FakeSource, MemoryTarget } from '@ferry/core/testing';

const transient = (): Error =>
  new FerryError('connection reset', { code: 'FERRY_PG_ERROR', reason: 'connection' });
const retry = { retries: 3, minDelayMs: 1, maxDelayMs: 8 };

describe('runner: retries', () => {
  it('retries a transient sink failure from the last durable checkpoint, with backoff events', async () => {
    const target = new MemoryTarget();
    const sink = new FakeSink({ target, failAt: { write: 4, times: 2, error: transient } });
    const events: RunEvent[] = [];
    const checkpoints = new MemoryCheckpointStore();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(100), sink }] },
      {
        runId: 'retry',
        checkpoints,
        batchSize: 10,
        maxInFlight: 1,
        retry,
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.status).toBe('completed');
    expect(target.rows.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
    // The retried attempt continues the sequence from the durable prefix: every row counted once.
    const counts = { rowsRead: 100, rowsWritten: 100, rowsRejected: 0, rowsFiltered: 0 };
    expect(result.entities[0]).toMatchObject(counts);
    expect(await checkpoints.load('retry', 'E')).toMatchObject({
      status: 'completed',
      sequence: 10,
      ...counts,
    });
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.attempt)).toEqual([1, 2]);
    for (const e of retries) expect(e.delayMs).toBeLessThanOrEqual(8);
    expect(retries[0]!.error.reason).toBe('connection');
    expect(sink.opens).toBe(1);
    expect(sink.closes).toEqual(['completed']);
  });

  it('gives up after the bounded number of retries without progress', async () => {
    const source = FakeSource.synthetic(50, { failAt: { batch: 2, times: 100, error: transient } });
    const events: RunEvent[] = [];
    const result = await run(
      { entities: [{ entity: 'E', source, sink: new FakeSink() }] },
      {
        runId: 'retry-bounded',
        checkpoints: new MemoryCheckpointStore(),
        batchSize: 10,
        retry,
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.status).toBe('failed');
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(3);
    expect(source.reads).toHaveLength(4);
    // every re-read started from the durable position, never from the beginning again
    expect(source.reads.slice(1)).toEqual([source.reads[1], source.reads[1], source.reads[1]]);
    expect(result.entities[0]?.error).toMatchObject({
      code: 'FERRY_PG_ERROR',
      entity: 'E',
      operation: 'read',
    });
  });

  it('does not retry non-retryable errors, and wraps foreign errors with entity and stage', async () => {
    const explode = mapRows<Row, Row>((row) => {
      if (row.id === '7') throw new TypeError('cannot read property x');
      return row;
    });
    const result = await run(
      {
        entities: [
          { entity: 'Customer', source: FakeSource.synthetic(20), stages: [explode], sink: new FakeSink() },
        ],
      },
      { runId: 'wrap', checkpoints: new MemoryCheckpointStore(), batchSize: 5, retry },
    );
    const error = result.entities[0]?.error;
    expect(error).toBeInstanceOf(FerryError);
    expect(error).toMatchObject({
      reason: 'unknown',
      retryable: false,
      code: 'FERRY_STAGE',
      entity: 'Customer',
      stage: 'mapRows',
      operation: 'stage',
    });
    expect(error?.message).toMatch(
      /entity "Customer" stage "mapRows" failed during stage: TypeError: cannot read property x/,
    );
    expect(error?.cause).toBeInstanceOf(TypeError);
    expect(result.entities[0]).toMatchObject({ rowsWritten: 5 });
  });

  it('computes full-jitter exponential delays within the cap', () => {
    const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
  });
});
