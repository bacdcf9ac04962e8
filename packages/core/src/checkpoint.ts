// Checkpoints: per run and entity, the source position up to which every row is durable (written,
// rejected or filtered). Saves are monotonic: a store never goes back to an older sequence.

import type { Notes } from './notes.js';
import type { Position } from './position.js';

/** An entity's state within a run. */
export type CheckpointStatus = 'running' | 'completed';

/** The durable progress of one entity in one run. Holds no row values and no credentials. */
export interface Checkpoint {
  readonly runId: string;
  readonly entity: string;
  /** Source position after the last durable batch; `null` when nothing is durable yet. */
  readonly position: Position;
  /** Sequence of the last durable batch (monotonic across resumes). */
  readonly sequence: number;
  readonly status: CheckpointStatus;
  /** Cumulative counts across every attempt of this run. */
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
  /** Cumulative {@link Notes} of the durable batches (each row counted once); absent when none. */
  readonly notes?: Notes;
  /** ISO time of the save. */
  readonly updatedAt: string;
}

/**
 * Stores checkpoints per run id and entity.
 *
 * `save` must be atomic and monotonic: a checkpoint with a lower `sequence` than the stored one (or a
 * `running` one over a `completed` one of the same sequence) is ignored, so late or repeated saves can
 * never move progress backwards.
 */
export interface CheckpointStore {
  load(runId: string, entity: string): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
  /** Every checkpoint of a run, for `status` and reports. */
  list(runId: string): Promise<readonly Checkpoint[]>;
  /** Forget a run. */
  delete(runId: string): Promise<void>;
  close?(): Promise<void>;
}

/** Whether `next` may replace `current` under the monotonic rule. */
export function isCheckpointNewer(current: Checkpoint | undefined, next: Checkpoint): boolean {
  if (current === undefined) return true;
  if (next.sequence !== current.sequence) return next.sequence > current.sequence;
  return current.status === 'running' && next.status === 'completed';
}
