// @ferry/core: the contracts (sources, stages, sinks, checkpoint stores, plans, errors) and the runner.
// It imports no database driver; adapters implement the contracts.

export type { JsonValue } from './json.js';
export type { Position, KeyPosition } from './position.js';
export { isKeyPosition } from './position.js';
export type { Value, Row, Batch } from './row.js';
export type { RejectRecord, RejectSink } from './reject.js';
export type { Source, ReadOptions } from './source.js';
export type { Stage, StageContext } from './stage.js';
export type {
  Sink,
  SinkOutcome,
  SinkTransaction,
  SinkTransactions,
  TransactionContext,
  WriteContext,
} from './sink.js';
export type { Checkpoint, CheckpointStatus, CheckpointStore } from './checkpoint.js';
export { isCheckpointNewer } from './checkpoint.js';
export type { IdMapStore } from './id-map.js';
export type { FerryErrorReason, FerryErrorOptions } from './errors.js';
export { FerryError, RETRYABLE_REASONS, isFerryError, isRetryable } from './errors.js';
export type { FerryErrorCode, HttpStatusErrorCode } from './error-codes.js';
export { errorCodes, isFerryErrorCode, HTTP_STATUS_ERROR_MEANING } from './error-codes.js';
export type { EntityPipeline, Plan } from './plan.js';
export type { KeyRange, PartitionInfo } from './partition.js';
export { partitionId, parsePartitionId, partitionLayoutId, isPartitionLayoutId } from './partition.js';
export type { PartitionPlanOptions } from './partition-plan.js';
export { partitionPlan } from './partition-plan.js';
export type { EntityCounts, RunEvent, RunStatus, EntityStatus, Logger } from './events.js';
export type { RetryPolicy, RejectThreshold, RunOptions, EntityResult, RunResult } from './run-types.js';
export { DEFAULT_BATCH_BYTES } from './run-types.js';
export type { Notes } from './notes.js';
export { addNotes } from './notes.js';

export { mapRows, filterRows, rebatch, tap, compose, named, estimateRowBytes } from './stages/index.js';
export type { RebatchOptions } from './stages/index.js';
export { run } from './runner/run.js';
export { orderPlan } from './runner/plan-order.js';
export { backoffDelay, resolveRetryPolicy, DEFAULT_RETRY_POLICY } from './runner/retry-backoff.js';
export { MemoryCheckpointStore } from './stores/memory-checkpoint-store.js';
export { FileCheckpointStore } from './stores/file-checkpoint-store.js';
export { MemoryIdMapStore } from './stores/memory-id-map-store.js';
export { MemoryRejectSink } from './rejects/memory-reject-sink.js';
export { NdjsonFileRejectSink } from './rejects/ndjson-file-reject-sink.js';
