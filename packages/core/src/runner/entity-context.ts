// What one entity's run needs, gathered once by the runner and shared by its attempts.

import type { CheckpointStore } from '../checkpoint.js';
import type { SinkTransactions } from '../sink.js';
import type { EntityPipeline } from '../plan.js';
import type { RejectSink } from '../reject.js';
import type { RetryPolicy } from '../run-types.js';
import type { CheckpointTracker } from './checkpoint-tracker.js';
import type { RejectGate } from './reject-gate.js';
import type { RejectLedger } from './reject-ledger.js';
import type { RunEmitter } from './run-emitter.js';

/** @internal Run-wide settings and services an entity runs with. */
export interface RunContext {
  readonly runId: string;
  /** The run's store, for entities whose sink has no `transactions` capability. */
  readonly store: CheckpointStore | undefined;
  readonly batchSize: number;
  /** Bytes per batch the sources aim for (large values measured); `Infinity` when unbounded. */
  readonly batchBytes: number;
  readonly commitEvery: number;
  readonly maxInFlight: number;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
  readonly rejects: RejectSink | undefined;
  readonly gate: RejectGate;
  readonly emitter: RunEmitter;
  readonly random: () => number;
}

/** @internal One entity's run: the pipeline, its durable state and progress figures. */
export interface EntityContext {
  readonly run: RunContext;
  readonly pipeline: EntityPipeline;
  readonly entity: string;
  readonly tracker: CheckpointTracker;
  /** Where this entity's checkpoints live: the sink's own store when it has `transactions`. */
  readonly store: CheckpointStore;
  readonly batchSize: number;
  /** Bytes per batch read, and of the batches in flight together (one batch always passes). */
  readonly batchBytes: number;
  /** Batches handed over and not yet durable (plain sinks) or not yet taken (transactions). */
  readonly maxInFlight: number;
  /** Source rows per transaction, for a sink with `transactions`. */
  readonly commitEvery: number;
  /** The sink's transactions capability, when it commits rows and checkpoint together. */
  readonly transactions: SinkTransactions | undefined;
  readonly totalRows: number | undefined;
  /** `performance.now()` when this run of the entity started, for rows/s. */
  readonly startedAt: number;
  /** Rows written before this run of the entity (from the checkpoint), for rows/s. */
  readonly writtenAtStart: number;
  /** Reject lines written for commits not (yet) made, so a retry does not write them twice. */
  readonly rejectLedger: RejectLedger;
}
