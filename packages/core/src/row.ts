// Rows and batches: the unit that flows from a source through stages into a sink.
// Values keep O11 data exact: decimals and 64-bit integers are strings or bigints, binary is bytes.

import type { Notes } from './notes.js';
import type { Position } from './position.js';
import type { RejectRecord } from './reject.js';

/**
 * One attribute value as it flows through Ferry.
 * - Decimals (Decimal, Currency) are canonical decimal strings, never JS numbers.
 * - Long Integers are `bigint` or decimal strings; Integers may be `number` (they fit in 32 bits).
 * - Dates are `YYYY-MM-DD`, times `HH:MM:SS[.fff]`, date-times ISO strings or `Date`.
 * - Binary Data is a `Uint8Array` (a Node `Buffer` is one).
 */
export type Value = string | number | bigint | boolean | Uint8Array | Date | null;

/** A row: attribute name to value. */
export type Row = { readonly [attribute: string]: Value };

/**
 * A batch of rows read in key order, with the source position reached after its last row.
 *
 * Resuming a source from `position` yields exactly the rows after this batch. Stages that split a
 * batch give every piece but the last the previous batch's position, so a checkpoint never moves past
 * rows that are not durable yet.
 */
export interface Batch<R = Row> {
  /** The rows, in source key order. May be empty when every row of the batch was rejected or filtered. */
  readonly rows: readonly R[];
  /** Where the source stands after this batch; resuming from it reads the next row. */
  readonly position: Position;
  /** Rows the batch held when it left the source (before filters and rejects). */
  readonly rowsRead: number;
  /** Rows turned away by a stage, each with a reason; they are counted, never silently dropped. */
  readonly rejects?: readonly RejectRecord[];
  /** Rows a stage filtered out on purpose (row filters); counted in the report. */
  readonly rowsFiltered?: number;
  /** Approximate payload size in bytes, when a stage measured it. */
  readonly bytes?: number;
  /**
   * Counters a stage attached for this batch's rows (see {@link Notes}); the runner adds them to the
   * checkpoint once the batch is durable. A stage that merges batches sums them.
   */
  readonly notes?: Notes;
  /**
   * The O11 source key of each row, index-aligned with `rows`, when a row no longer holds it: the
   * mapping stage of an entity with identity `remap` drops the key attribute (the target assigns ids)
   * and puts the key here, so the sink can record `[sourceKey, targetId]` in the id map. A stage that
   * drops, adds or reorders rows keeps it aligned (`filterRows` and `rebatch` do); one that only
   * changes rows passes it on by spreading the batch (`{ ...batch, rows }`).
   */
  readonly keys?: readonly (readonly string[])[];
}
