import { describe, expect, it } from 'vitest';
import { FerryError, MemoryCheckpointStore, orderPlan, run } from '@ferry/core';
import type { EntityPipeline, RunEvent } from '@ferry/core';
import { FakeSink, FakeSource, RecordingSink } from '@ferry/core/testing';

const pipeline = (entity: string, dependsOn: string[] = [], sink = new RecordingSink()): EntityPipeline => ({
  entity,
  dependsOn,
  source: FakeSource.synthetic(20),
  sink,
});

describe('runner: plan validation and dependency order', () => {
  it('refuses a reference cycle, naming every entity in it', async () => {
    const plan = {
      entities: [
        pipeline('Customer', ['Order']),
        pipeline('Order', ['Invoice']),
        pipeline('Invoice', ['Customer']),
        pipeline('Free'),
      ],
    };
    const error = await run(plan, { runId: 'cycle', checkpoints: new MemoryCheckpointStore() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).reason).toBe('invalid-config');
    for (const name of ['Customer', 'Order', 'Invoice'])
      expect((error as Error).message).toContain(`"${name}"`);
    expect((error as Error).message).not.toContain('"Free"');
  });

  it('refuses self references, duplicates and unknown dependencies', () => {
    expect(() => orderPlan({ entities: [pipeline('User', ['User'])] })).toThrow(/cycle: "User"/);
    expect(() => orderPlan({ entities: [pipeline('A'), pipeline('A')] })).toThrow(/"A" appears twice/);
    expect(() => orderPlan({ entities: [pipeline('A', ['Ghost'])] })).toThrow(/depends on "Ghost"/);
  });

  it('starts an entity only after its dependencies completed, within the concurrency bound', async () => {
    const events: RunEvent[] = [];
    let running = 0;
    let peak = 0;
    const slow = (): FakeSink => {
      const sink = new FakeSink({ delayMs: 2 });
      const open = sink.open.bind(sink);
      const close = sink.close.bind(sink);
      sink.open = () => ((running += 1), (peak = Math.max(peak, running)), open());
      sink.close = (outcome) => ((running -= 1), close(outcome));
      return sink;
    };
    const plan = {
      entities: [
        pipeline('Order', ['Customer', 'Product'], slow()),
        pipeline('Customer', [], slow()),
        pipeline('Product', [], slow()),
        pipeline('Country', [], slow()),
        pipeline('OrderLine', ['Order'], slow()),
      ],
    };
    const result = await run(plan, {
      runId: 'deps',
      checkpoints: new MemoryCheckpointStore(),
      concurrency: 2,
      batchSize: 5,
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe('completed');
    expect(result.entities.map((e) => e.entity)).toEqual([
      'Order',
      'Customer',
      'Product',
      'Country',
      'OrderLine',
    ]);
    expect(peak).toBeLessThanOrEqual(2);
    const at = (type: string, entity: string): number =>
      events.findIndex((e) => e.type === type && 'entity' in e && e.entity === entity);
    expect(at('entity:start', 'Order')).toBeGreaterThan(at('entity:end', 'Customer'));
    expect(at('entity:start', 'Order')).toBeGreaterThan(at('entity:end', 'Product'));
    expect(at('entity:start', 'OrderLine')).toBeGreaterThan(at('entity:end', 'Order'));
  });

  it('skips the dependents of a failed entity and keeps independent ones going', async () => {
    const failing = new FakeSink({
      failAt: {
        write: 0,
        error: () => new FerryError('boom', { code: 'FERRY_PG_ERROR', reason: 'constraint' }),
      },
    });
    const events: RunEvent[] = [];
    const result = await run(
      {
        entities: [
          pipeline('Customer', [], failing),
          pipeline('Order', ['Customer']),
          pipeline('Line', ['Order']),
          pipeline('Country'),
        ],
      },
      { runId: 'dep-fail', checkpoints: new MemoryCheckpointStore(), onEvent: (e) => events.push(e) },
    );
    expect(result).toMatchObject({ status: 'failed', resumable: true });
    const status = Object.fromEntries(result.entities.map((e) => [e.entity, [e.status, e.skipReason]]));
    expect(status).toEqual({
      Customer: ['failed', undefined],
      Order: ['skipped', 'dependency-failed'],
      Line: ['skipped', 'dependency-failed'],
      Country: ['completed', undefined],
    });
    expect(
      events.filter((e) => e.type === 'entity:skip').map((e) => (e as { entity: string }).entity),
    ).toEqual(['Order', 'Line']);
    expect(failing.closes).toEqual(['failed']);
  });
});
