// partitionPlan with fake sources and sinks: partition ids and dependencies, ranges persisted on the
// first plan and reused by every later one (other counts, a grown table), entities that started whole
// stay whole, ranges that do not tile are refused, and a partitioned run with a failure resumes exactly.

import { describe, expect, it } from 'vitest';
import {
  FerryError,
  MemoryCheckpointStore,
  isPartitionLayoutId,
  parsePartitionId,
  partitionPlan,
  run,
} from '@ferry/core';
import type { EntityPipeline, KeyRange, PartitionPlanOptions, Plan, Row, RunResult } from '@ferry/core';
import { FakeSink, FakeSource, MemoryTarget } from '@ferry/core/testing';

const row = (id: number): Row => ({ id: String(id) });
const inRange = (id: number, range: KeyRange): boolean =>
  (range.after === undefined || id > Number(range.after[0])) &&
  (range.upTo === undefined || id <= Number(range.upTo[0]));

/** A split into `count` ranges of equal width over 1..max. */
const split = (max: number) => (_p: EntityPipeline, count: number) => {
  const bounds = Array.from({ length: count - 1 }, (_, i) => [String(Math.floor(((i + 1) * max) / count))]);
  return Promise.resolve(
    bounds
      .map((upTo, i): KeyRange => ({ ...(i === 0 ? {} : { after: bounds[i - 1]! }), upTo }))
      .concat([{ after: bounds[count - 2]! }]),
  );
};

function options(
  ids: () => readonly number[],
  target: MemoryTarget,
  checkpoints: MemoryCheckpointStore,
  overrides: Partial<PartitionPlanOptions> = {},
): PartitionPlanOptions {
  return {
    runId: 'r',
    checkpoints,
    partitions: (p) => (p.entity === 'Order' ? 4 : undefined),
    split: split(100),
    expand: (_p, { range }) => ({
      source: FakeSource.fromRows(
        ids()
          .filter((id) => inRange(id, range))
          .map(row),
      ),
      sink: new FakeSink({ target }),
    }),
    ...overrides,
  };
}

const plan = (target: MemoryTarget): Plan => ({
  entities: [
    { entity: 'Customer', source: FakeSource.fromRows([]), sink: new FakeSink({ target }) },
    {
      entity: 'Order',
      dependsOn: ['Customer'],
      source: FakeSource.fromRows([]),
      sink: new FakeSink({ target }),
    },
    { entity: 'Line', dependsOn: ['Order'], source: FakeSource.fromRows([]), sink: new FakeSink({ target }) },
  ],
});

describe('partitionPlan', () => {
  it('names partitions Entity[i/n], and a dependant waits for every one of them', async () => {
    const target = new MemoryTarget();
    const store = new MemoryCheckpointStore();
    const result = await partitionPlan(
      plan(target),
      options(() => [], target, store),
    );
    expect(result.entities.map((p) => p.entity)).toEqual([
      'Customer',
      'Order[1/4]',
      'Order[2/4]',
      'Order[3/4]',
      'Order[4/4]',
      'Line',
    ]);
    expect(result.entities[2]!.dependsOn).toEqual(['Customer']);
    expect(result.entities[5]!.dependsOn).toEqual(['Order[1/4]', 'Order[2/4]', 'Order[3/4]', 'Order[4/4]']);
    expect(result.entities[2]!.partition).toEqual({
      of: 'Order',
      index: 2,
      count: 4,
      range: { after: ['25'], upTo: ['50'] },
    });
    expect(parsePartitionId('Order#pass2[3/4]')).toEqual({ of: 'Order#pass2', index: 3, count: 4 });
    expect((await store.list('r')).map((c) => c.entity)).toEqual(['Order[partitions]']);
    expect(isPartitionLayoutId('Order[partitions]')).toBe(true);
  });

  it('reuses the stored ranges on every later plan of the run, whatever the count or the table now', async () => {
    const target = new MemoryTarget();
    const store = new MemoryCheckpointStore();
    await partitionPlan(
      plan(target),
      options(() => [], target, store),
    );
    const again = await partitionPlan(
      plan(target),
      options(() => [], target, store, {
        partitions: (p) => (p.entity === 'Order' ? 2 : undefined),
        split: split(1000),
      }),
    );
    expect(again.entities.filter((p) => p.partition !== undefined).map((p) => p.partition!.range)).toEqual([
      { upTo: ['25'] },
      { after: ['25'], upTo: ['50'] },
      { after: ['50'], upTo: ['75'] },
      { after: ['75'] },
    ]);
  });

  it('keeps an entity whole when it already has a checkpoint of its own in the run', async () => {
    const target = new MemoryTarget();
    const store = new MemoryCheckpointStore();
    await run({ entities: [plan(target).entities[0]!] }, { runId: 'r', checkpoints: store });
    const first = await partitionPlan(
      plan(target),
      options(() => [], target, store, { partitions: () => 3 }),
    );
    expect(first.entities.map((p) => p.entity)).toContain('Customer');
    expect(first.entities.map((p) => p.entity)).toContain('Order[3/3]');
  });

  it('refuses ranges that do not cover the key space once', async () => {
    const target = new MemoryTarget();
    const gap = (): Promise<KeyRange[]> => Promise.resolve([{ upTo: ['10'] }, { after: ['11'] }]);
    await expect(
      partitionPlan(
        plan(target),
        options(() => [], target, new MemoryCheckpointStore(), { split: gap }),
      ),
    ).rejects.toThrow(FerryError);
  });

  it('a partitioned run that fails mid-way resumes per range: every row once, after the table grew', async () => {
    const target = new MemoryTarget();
    const store = new MemoryCheckpointStore();
    let ids = Array.from({ length: 100 }, (_, i) => i + 1);
    let fail = true;
    const failing = (): PartitionPlanOptions =>
      options(() => ids, target, store, {
        expand: (_p, { index, range }) => ({
          source: FakeSource.fromRows(ids.filter((id) => inRange(id, range)).map(row)),
          sink: new FakeSink({
            target,
            ...(fail && index === 4
              ? {
                  failAt: {
                    write: 2,
                    error: () => new FerryError('x', { code: 'FERRY_PG_ERROR', reason: 'constraint' }),
                  },
                }
              : {}),
          }),
        }),
      });
    const single = (p: Plan): Plan => ({ entities: p.entities.filter((e) => e.entity !== 'Line') });
    // maxInFlight 1: the fake sink is neither idempotent nor transactional with the checkpoint.
    const runOnce = async (): Promise<RunResult> =>
      run(single(await partitionPlan(plan(target), failing())), {
        runId: 'r',
        checkpoints: store,
        batchSize: 5,
        concurrency: 4,
        maxInFlight: 1,
      });
    const first = await runOnce();
    expect(first.status).toBe('failed');
    expect(target.rows.length).toBeLessThan(100);
    fail = false;
    // The table grew above the split's last bound: the open last range (the one that failed) reads it.
    // Like any keyset read, rows added behind a finished read are not read again.
    ids = [...ids, 101, 150];
    const second = await runOnce();
    expect(second.status).toBe('completed');
    expect(target.duplicateKeys()).toEqual([]);
    expect(target.rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(
      [...ids].sort((a, b) => a - b),
    );
  });
});
