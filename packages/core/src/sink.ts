// The Sink contract: a batch is acknowledged only once it is durable, and a checkpoint is saved only
// after that acknowledgement. A sink that shares a database with the checkpoint store may commit both
// in one transaction (writeWithCheckpoint).

import type { Checkpoint } from './checkpoint.js';
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

/** How an entity's write ended, given to `close`. */
export type SinkOutcome = 'completed' | 'failed' | 'aborted';

/**
 * A sink for one entity.
 *
 * - `write` resolves only when the batch is durable (committed). A sink may group several batches in
 *   one transaction and resolve their promises together when it commits; batches are handed to it in
 *   sequence order, but with more than one in flight the sink may complete them out of order.
 * - `writeWithCheckpoint`, when present, is used instead of `write`: the sink commits the batch and the
 *   checkpoint in one transaction, into the checkpoint store the runner was given (an adapter builds
 *   both on the same database). `checkpoint` is the state after this batch, valid once every earlier
 *   batch is durable too. The runner keeps one batch in flight for such a sink unless it is `ordered`.
 * - `close` is called once with the outcome: on `failed` or `aborted` roll back whatever is pending.
 */
export interface Sink<R = Row> {
  /** A label for logs and errors, e.g. the target table. */
  readonly name: string;
  /** Optional: called once before the first write of a run (create staging, prepare statements). */
  open?(context: Omit<WriteContext, 'sequence'>): Promise<void>;
  write(batch: Batch<R>, context: WriteContext): Promise<void>;
  writeWithCheckpoint?(batch: Batch<R>, checkpoint: Checkpoint, context: WriteContext): Promise<void>;
  /**
   * Optional: `true` when the sink makes batches durable strictly in the order it received them (one
   * connection, one transaction after another) and refuses every later batch once one fails. The runner
   * may then keep several batches in flight with `writeWithCheckpoint`, so a sink can group many batches
   * into one transaction (the checkpoint of the last one it commits covers all of them).
   */
  readonly ordered?: boolean;
  /**
   * Optional: commit whatever batches are grouped and pending now, so their `write` promises settle.
   * The runner calls it when its in-flight window is full and at the end of a read (before waiting for
   * every pending write), so a sink that groups batches into one transaction never waits forever.
   */
  flush?(): Promise<void>;
  close(outcome: SinkOutcome): Promise<void>;
}
