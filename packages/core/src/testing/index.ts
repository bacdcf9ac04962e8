// @ferry/core/testing: conformance suites every adapter runs (they import vitest, an optional peer
// dependency), and the fakes core's own tests use.

export { MemoryTarget, keyOfId } from './memory-target.js';
export type { KeyOf } from './memory-target.js';
export { FakeSource, syntheticRow, delay } from './fake-source.js';
export type { FakeSourceOptions } from './fake-source.js';
export { RecordingSink } from './recording-sink.js';
export type { RecordedWrite, RecordingSinkOptions } from './recording-sink.js';
export { FakeSink } from './fake-sink.js';
export { TransactionSink } from './transaction-sink.js';
export type { TransactionSinkOptions } from './transaction-sink.js';
export type { FakeSinkOptions } from './fake-sink.js';
export {
  CONFORMANCE_FIRST_ID,
  conformanceRows,
  edgeRows,
  normalizeConformanceRow,
  sortById,
} from './conformance-rows.js';
export type { ConformanceRow } from './conformance-rows.js';
export { HOSTILE_NAMES, HOSTILE_TEXTS, hostileRows, nulRow } from './hostile-conformance.js';
export type { ConformanceNames } from './hostile-conformance.js';
export { describeSourceConformance } from './source-conformance.js';
export type {
  SourceConformanceCase,
  SourceConformanceFactory,
  SourceConformanceFixture,
  SourceConformanceOptions,
} from './source-conformance.js';
export { describeSinkConformance } from './sink-conformance.js';
export type {
  SinkConformanceCase,
  SinkConformanceFactory,
  SinkConformanceFixture,
  SinkConformanceOptions,
} from './sink-conformance.js';
export { describeCheckpointStoreConformance, testCheckpoint } from './checkpoint-store-conformance.js';
export type {
  CheckpointStoreConformanceFactory,
  CheckpointStoreConformanceFixture,
} from './checkpoint-store-conformance.js';
export { readAll } from './read-all.js';
