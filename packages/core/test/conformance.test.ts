// Core runs its own conformance suites against its fakes and stores: proof that the suites pass for a
// correct implementation (and a template for adapters).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStore, MemoryCheckpointStore } from '@ferry/core';
import {
  FakeSink,
  FakeSource,
  MemoryTarget,
  RecordingSink,
  describeCheckpointStoreConformance,
  describeSinkConformance,
  TransactionSink,
  describeSourceConformance,
  sortById,
  type ConformanceNames,
  type ConformanceRow,
} from '@ferry/core/testing';
import type { Sink } from '@ferry/core';

let source: FakeSource | undefined;
describeSourceConformance('FakeSource', {
  setup() {
    let rows: ConformanceRow[] = [];
    return Promise.resolve({
      seed: (seeded: readonly ConformanceRow[]) => {
        rows = sortById(seeded);
        return Promise.resolve();
      },
      source: () => (source = FakeSource.fromRows(rows)),
      openResources: () => source?.openReads ?? 0,
      teardown: () => Promise.resolve(),
    });
  },
});

/** A memory target behind a TransactionSink, keyed by the (possibly renamed) id column. */
const transactionFixture = (names?: ConformanceNames) => {
  const id = names?.columns.id ?? 'id';
  const target = new MemoryTarget((row) => String(row[id]));
  const checkpoints = new MemoryCheckpointStore();
  return Promise.resolve({
    sink: () => new TransactionSink({ target, checkpoints }),
    readAll: () => Promise.resolve(target.rows),
    teardown: () => Promise.resolve(),
  });
};

describeSinkConformance('TransactionSink', {
  setup: () => transactionFixture(),
  setupWithNames: transactionFixture,
});

/** A memory target keyed by the (possibly renamed) id column. */
const fakeSinkFixture = (sink: (target: MemoryTarget) => Sink, names?: ConformanceNames) => {
  const id = names?.columns.id ?? 'id';
  const target = new MemoryTarget((row) => String(row[id]));
  return Promise.resolve({
    sink: () => sink(target),
    readAll: () => Promise.resolve(target.rows),
    teardown: () => Promise.resolve(),
  });
};
const fakeSink = (target: MemoryTarget) =>
  new FakeSink({ target, idempotent: true, rollbackOnAbort: true, delayMs: 2 });
const recordingSink = (target: MemoryTarget) => new RecordingSink({ target });

describeSinkConformance(
  'FakeSink (idempotent, rolls back on abort)',
  {
    setup: () => fakeSinkFixture(fakeSink),
    setupWithNames: (names) => fakeSinkFixture(fakeSink, names),
  },
  { idempotent: true },
);

describeSinkConformance('RecordingSink (append)', {
  setup: () => fakeSinkFixture(recordingSink),
  setupWithNames: (names) => fakeSinkFixture(recordingSink, names),
});

describeCheckpointStoreConformance('MemoryCheckpointStore', {
  setup: () => Promise.resolve({ store: new MemoryCheckpointStore() }),
});

describeCheckpointStoreConformance('FileCheckpointStore', {
  async setup() {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-store-'));
    return {
      store: new FileCheckpointStore(dir),
      reopen: () => new FileCheckpointStore(dir),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
