// The CheckpointStore conformance suite: round trip with exact positions, the monotonic rule, runs kept
// apart, concurrent saves of different entities, delete, and (when the store can be reopened) durability.

import { afterEach, describe, expect, it } from 'vitest';
import type { Checkpoint, CheckpointStore } from '../checkpoint.js';

/** A store for one test. */
export interface CheckpointStoreConformanceFixture {
  readonly store: CheckpointStore;
  /** A second store instance over the same storage (proves saves are persisted), when possible. */
  reopen?(): CheckpointStore | Promise<CheckpointStore>;
  teardown?(): Promise<void>;
}

/** Creates one empty store per test. */
export interface CheckpointStoreConformanceFactory {
  setup(): Promise<CheckpointStoreConformanceFixture>;
}

/** A checkpoint for tests, with defaults for everything but run, entity and sequence. */
export function testCheckpoint(
  runId: string,
  entity: string,
  sequence: number,
  extra: Partial<Checkpoint> = {},
): Checkpoint {
  return {
    runId,
    entity,
    sequence,
    status: 'running',
    position: { key: ['9007199254740993', `k${sequence}`] },
    rowsRead: sequence * 10,
    rowsWritten: sequence * 9,
    rowsRejected: sequence,
    rowsFiltered: 0,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

/**
 * Define the CheckpointStore conformance tests.
 *
 * @example
 * ```ts
 * describeCheckpointStoreConformance('file store', {
 *   async setup() {
 *     const dir = await mkdtemp(join(tmpdir(), 'ferry-'));
 *     return { store: new FileCheckpointStore(dir), reopen: () => new FileCheckpointStore(dir) };
 *   },
 * });
 * ```
 */
export function describeCheckpointStoreConformance(
  name: string,
  factory: CheckpointStoreConformanceFactory,
): void {
  let fixture: CheckpointStoreConformanceFixture | undefined;
  const store = async (): Promise<CheckpointStore> => (fixture = await factory.setup()).store;

  describe(`${name}: CheckpointStore conformance`, () => {
    afterEach(async () => {
      await fixture?.store.close?.();
      await fixture?.teardown?.();
      fixture = undefined;
    });

    it('loads nothing for an unknown run or entity', async () => {
      const s = await store();
      expect(await s.load('run-none', 'E')).toBeUndefined();
      expect(await s.list('run-none')).toEqual([]);
    });
    it('round-trips a checkpoint exactly (64-bit keys as strings, unicode names)', async () => {
      const s = await store();
      const cp = testCheckpoint('run-1', 'Sales.Örder 😀', 3, {
        position: { key: ['18446744073709551615'], page: 'x' },
      });
      await s.save(cp);
      expect(await s.load('run-1', 'Sales.Örder 😀')).toEqual(cp);
    });
    it('is monotonic: older sequences and running-over-completed are ignored', async () => {
      const s = await store();
      await s.save(testCheckpoint('run-1', 'E', 5));
      await s.save(testCheckpoint('run-1', 'E', 4));
      expect((await s.load('run-1', 'E'))?.sequence).toBe(5);
      await s.save(testCheckpoint('run-1', 'E', 5, { status: 'completed' }));
      await s.save(testCheckpoint('run-1', 'E', 5, { status: 'running' }));
      expect((await s.load('run-1', 'E'))?.status).toBe('completed');
      await s.save(testCheckpoint('run-1', 'E', 6));
      expect((await s.load('run-1', 'E'))?.sequence).toBe(6);
    });
    it('keeps runs apart and lists a run', async () => {
      const s = await store();
      await s.save(testCheckpoint('run-a', 'E1', 1));
      await s.save(testCheckpoint('run-a', 'E2', 2));
      await s.save(testCheckpoint('run-b', 'E1', 7));
      const listed = await s.list('run-a');
      expect(listed.map((c) => c.entity).sort()).toEqual(['E1', 'E2']);
      expect((await s.load('run-b', 'E1'))?.sequence).toBe(7);
    });
    it('loses no save when entities of one run save concurrently', async () => {
      const s = await store();
      const entities = Array.from({ length: 8 }, (_, i) => `E${i}`);
      await Promise.all(
        entities.flatMap((e) => [1, 2, 3].map((seq) => s.save(testCheckpoint('run-c', e, seq)))),
      );
      for (const e of entities) expect((await s.load('run-c', e))?.sequence).toBe(3);
    });
    it('deletes a run', async () => {
      const s = await store();
      await s.save(testCheckpoint('run-d', 'E', 1));
      await s.save(testCheckpoint('run-keep', 'E', 1));
      await s.delete('run-d');
      expect(await s.list('run-d')).toEqual([]);
      expect(await s.load('run-keep', 'E')).toBeDefined();
    });
    it('persists saves for a reopened store', async () => {
      const s = await store();
      if (fixture?.reopen === undefined) return;
      await s.save(testCheckpoint('run-p', 'E', 2, { status: 'completed' }));
      const again = await fixture.reopen();
      expect(await again.load('run-p', 'E')).toEqual(
        testCheckpoint('run-p', 'E', 2, { status: 'completed' }),
      );
      await again.close?.();
    });
  });
}
