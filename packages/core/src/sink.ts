// The Sink contract: a batch is acknowledged only once it is durable, and a checkpoint is saved only
// after that acknowledgement. A sink that can commit checkpoints with its rows says so with a typed
// capability (`transactions`) that carries its checkpoint store; the runner then owns the transactions.

import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import type { Batch, Row } from './row.js';

/** What the runner tells a sink about the batch it writes. */
export interface WriteContext {
  /** The entity (pipeline) name. */
  readonly entity: string;
  /** The run id. */
  readonly runId: string;
  /** Batch sequence within the entity for this run, starting after the resumed checkpoint's sequence. */
  readonly sequence: number;
  /** Aborted when the run is cancelled: roll back what is not committed. */
  readonly signal: AbortSignal;
}

/** What the runner tells a sink when it opens a transaction. */
export interface TransactionContext<R = Row> extends Omit<WriteContext, 'sequence'> {
  /**
   * Optional: the rows of this transaction read again, for finding a row the target refused when the
   * rows are no longer in memory (a foreign key checked at the end of a long COPY). Each call re-reads
   * the source from the position the transaction started after, through the entity's stages, and
   * yields the same rows in the same order (then the rows after them: stop after the rows written).
   * Breaking out of the iteration releases the read. Only for rolled-back tries: nothing it yields
   * is counted, checkpointed or recorded as a reject.
   */
  readonly replay?: () => AsyncIterable<Batch<R>>;
}

/** How an entity's write ended, given to `close`. */
export type SinkOutcome = 'completed' | 'failed' | 'aborted';

/**
 * One open transaction of a {@link SinkTransactions} sink, driven by the runner: batches in sequence
 * order, then exactly one `commit` or `rollback`.
 */
export interface SinkTransaction<R = Row> {
  /**
   * Add a batch (the runner awaits each call before the next). Resolves once the sink has taken the
   * batch (e.g. streamed it to the server); nothing is durable before `commit`.
   */
  write(batch: Batch<R>, context: WriteContext): Promise<void>;
  /**
   * Commit every batch written and `checkpoint` (the state after the last of them) atomically, into
   * the capability's `checkpoints` store. Resolves only once both are durable; on failure nothing is.
   */
  commit(checkpoint: Checkpoint): Promise<void>;
  /** Discard every batch written. Must not throw (a broken connection is released, not reused). */
  rollback(): Promise<void>;
}

/**
 * The capability of a sink that commits rows and checkpoint together (exactly-once). The runner loads
 * and saves the entity's checkpoints in `checkpoints` (never in another store), opens one transaction at
 * a time, and decides when to commit (`commitEvery` rows, see RunOptions and EntityPipeline).
 */
export interface SinkTransactions<R = Row> {
  /** The store the sink's transactions commit checkpoints into. */
  readonly checkpoints: CheckpointStore;
  /** Open a transaction. At most one is open per sink at a time. */
  begin(context: TransactionContext<R>): Promise<SinkTransaction<R>>;
}

/**
 * A sink for one entity.
 *
 * - Without `transactions`: `write` resolves only when the batch is durable; with more than one batch
 *   in flight the sink may complete them out of order. The runner saves checkpoints in the run's store
 *   after the durable prefix of batches.
 * - With `transactions` (optional capability): the runner never calls `write`; it hands batches to
 *   transactions it opens and commits each with its checkpoint, into the sink's own store.
 * - `close` is called once with the outcome: on `failed` or `aborted` roll back whatever is pending.
 */
export interface Sink<R = Row> {
  /** A label for logs and errors, e.g. the target table. */
  readonly name: string;
  /** Optional: called once before the first write of a run (create staging, prepare statements). */
  open?(context: TransactionContext): Promise<void>;
  write(batch: Batch<R>, context: WriteContext): Promise<void>;
  /** Optional: rows and checkpoint commit in one transaction that the runner drives. */
  readonly transactions?: SinkTransactions<R>;
  close(outcome: SinkOutcome): Promise<void>;
}
