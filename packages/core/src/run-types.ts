// The runner's options and result.

import type { CheckpointStore } from './checkpoint.js';
import type { EntityCounts, EntityStatus, Logger, RunEvent, RunStatus } from './events.js';
import type { FerryError } from './errors.js';
import type { RejectSink } from './reject.js';

/** Bounded retry with exponential backoff and full jitter. */
export interface RetryPolicy {
  /** Attempts after the first failure; 0 disables retries. Default 5. */
  readonly retries: number;
  /** First delay in ms. Default 200. */
  readonly minDelayMs: number;
  /** Delay cap in ms. Default 30_000. */
  readonly maxDelayMs: number;
}

/**
 * A limit on rejected rows for the whole run; crossing it fails the run. With neither `maxRows` nor
 * `maxRatio`, an entity that rejected rows and wrote none fails (`FERRY_REJECT_ALL`).
 */
export interface RejectThreshold {
  /** Fail once more than this many rows are rejected. */
  readonly maxRows?: number;
  /** Fail once rejected / read exceeds this ratio (checked after at least `minRowsForRatio` rows). */
  readonly maxRatio?: number;
  /** Default 1000. */
  readonly minRowsForRatio?: number;
}

/**
 * Default of `RunOptions.batchBytes`: 4 MiB of large values per batch. With the read-ahead page and
 * the batches in flight, a run then holds a few tens of MB of binary data at a time.
 */
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;

/** Options of {@link run}. */
export interface RunOptions {
  /** Identifies the run across resumes. The same id continues from the stored checkpoints. */
  readonly runId: string;
  /**
   * Where checkpoints of entities with a plain sink live. An entity whose sink has `transactions` keeps
   * its checkpoints in that sink's store; passing a different store here is refused (`invalid-config`).
   * Required unless every sink has `transactions`.
   */
  readonly checkpoints?: CheckpointStore;
  /** Default 1000 rows. */
  readonly batchSize?: number;
  /**
   * Bytes of large values (Binary Data) per batch: sources that measure them stop a page at this
   * budget (a single bigger row is read alone), and the batches read ahead and not yet written hold
   * about this much together. Bounds memory with binary-heavy entities. Default
   * {@link DEFAULT_BATCH_BYTES} (4 MiB).
   */
  readonly batchBytes?: number;
  /**
   * Source rows per transaction of a sink with `transactions` (per entity: `EntityPipeline.commitEvery`).
   * Larger means fewer commits and more rows re-read after a crash. Default 50 000.
   */
  readonly commitEvery?: number;
  /** Entities running at once (p-queue). Default 2. */
  readonly concurrency?: number;
  /**
   * Per entity: batches handed to a plain sink and not yet durable, or batches read ahead and not yet
   * taken by a sink with `transactions`. Default 4.
   */
  readonly maxInFlight?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Where rejected rows go; without one they are still counted and reported as events. */
  readonly rejects?: RejectSink;
  readonly rejectThreshold?: RejectThreshold;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  readonly logger?: Logger;
}

/** The outcome of one entity. */
export interface EntityResult extends EntityCounts {
  readonly entity: string;
  readonly status: EntityStatus;
  /** Why a `skipped` entity did not run: done in an earlier run, or a dependency failed. */
  readonly skipReason?: 'completed' | 'dependency-failed';
  readonly durationMs: number;
  readonly error?: FerryError;
}

/** The outcome of a run. */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  /** True when running again with the same run id continues this run (aborted or failed). */
  readonly resumable: boolean;
  readonly entities: readonly EntityResult[];
  readonly durationMs: number;
}
