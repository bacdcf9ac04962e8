// The Stage contract: a function from an async iterable of batches to another. Composable, lazy,
// and backpressured by construction (a stage pulls only when its consumer pulls).

import type { Position } from './position.js';
import type { Batch, Row } from './row.js';

/** What a stage knows about the pipeline it runs in. */
export interface StageContext {
  /** The entity (pipeline) name. */
  readonly entity: string;
  /** Aborted when the run is cancelled. */
  readonly signal: AbortSignal;
  /**
   * The position the source read resumed from (`null` or absent: the beginning). A stage that splits
   * the first batch gives the leading pieces this position, so a checkpoint never runs ahead.
   */
  readonly after?: Position | undefined;
}

/**
 * A pipeline stage. It must keep batch order and must keep every batch's `position` honest: a batch
 * it emits may carry a position only once every row read up to that position is in this or an earlier
 * emitted batch (or counted as rejected or filtered).
 */
export type Stage<I = Row, O = Row> = (
  input: AsyncIterable<Batch<I>>,
  context: StageContext,
) => AsyncIterable<Batch<O>>;
