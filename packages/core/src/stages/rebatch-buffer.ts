// The accumulator behind rebatch: rows and counters waiting for the next output batch, and the position
// of the last input batch taken in full. Kept apart from the stage so the counting rules read in one place.

import { addNotes, type Notes } from '../notes.js';
import type { Position } from '../position.js';
import type { RejectRecord } from '../reject.js';
import type { Batch } from '../row.js';
import { estimateRowBytes } from './row-bytes.js';

/** @internal Rows and counters awaiting the next output batch of `rebatch`. */
export class RebatchBuffer<R> {
  readonly #maxRows: number;
  readonly #maxBytes: number;
  readonly #estimate: (row: R) => number;
  #parts: (readonly R[])[] = [];
  /** The source keys of each part (Batch.keys), `undefined` for a part whose batch had none. */
  #keyParts: (readonly (readonly string[])[] | undefined)[] = [];
  #count = 0;
  #bytes = 0;
  #rowsRead = 0;
  #rowsFiltered = 0;
  #rejects: RejectRecord[] = [];
  #notes: Notes | undefined;
  #dirty = false;
  /** Rows of the current input batch already in the buffer or emitted (they count as read 1:1). */
  #takenFromCurrent = 0;
  #position: Position;

  constructor(
    after: Position,
    maxRows: number,
    maxBytes: number,
    options: { readonly estimate?: (row: R) => number },
  ) {
    this.#position = after;
    this.#maxRows = maxRows;
    this.#maxBytes = maxBytes;
    this.#estimate = options.estimate ?? (estimateRowBytes as unknown as (row: R) => number);
  }

  /** Whether the buffer reached a limit. */
  get full(): boolean {
    return this.#count >= this.#maxRows || this.#bytes >= this.#maxBytes;
  }

  /**
   * Move rows from `rows[from]` on into the buffer until it is full; returns the next index. `keys`
   * (the batch's source keys, aligned with `rows`) are cut the same way.
   */
  take(rows: readonly R[], from: number, keys?: readonly (readonly string[])[]): number {
    let end: number;
    if (this.#maxBytes === Infinity) {
      end = Math.min(rows.length, from + (this.#maxRows - this.#count));
    } else {
      end = from;
      while (
        end < rows.length &&
        this.#count + (end - from) < this.#maxRows &&
        this.#bytes < this.#maxBytes
      ) {
        this.#bytes += this.#estimate(rows[end] as R);
        end += 1;
      }
    }
    const whole = from === 0 && end === rows.length;
    this.#parts.push(whole ? rows : rows.slice(from, end));
    this.#keyParts.push(keys === undefined || whole ? keys : keys.slice(from, end));
    this.#count += end - from;
    this.#takenFromCurrent += end - from;
    this.#rowsRead += end - from;
    this.#dirty = true;
    return end;
  }

  /** Emit a piece cut mid-batch: exact position when known, else the last batch taken in full. */
  emitPiece(exact: Position | undefined): Batch<R> {
    if (exact !== undefined) this.#position = exact;
    return this.#emit();
  }

  /** The current input batch is taken in full: add its remaining counters and adopt its position. */
  finish(batch: Batch<R>): void {
    this.#rowsRead += batch.rowsRead - this.#takenFromCurrent;
    this.#takenFromCurrent = 0;
    this.#rowsFiltered += batch.rowsFiltered ?? 0;
    if (batch.rejects !== undefined && batch.rejects.length > 0) this.#rejects.push(...batch.rejects);
    this.#notes = addNotes(this.#notes, batch.notes);
    this.#position = batch.position;
    this.#dirty = true;
  }

  /** The pending output batch, or nothing when no input arrived since the last one. */
  flush(): Batch<R> | undefined {
    return this.#dirty ? this.#emit() : undefined;
  }

  #emit(): Batch<R> {
    const rows = this.#parts.length === 1 ? (this.#parts[0] as readonly R[]) : this.#parts.flat();
    const batch: { -readonly [K in keyof Batch<R>]: Batch<R>[K] } = {
      rows,
      position: this.#position,
      rowsRead: this.#rowsRead,
    };
    if (this.#rejects.length > 0) batch.rejects = this.#rejects;
    if (this.#rowsFiltered > 0) batch.rowsFiltered = this.#rowsFiltered;
    if (this.#notes !== undefined) batch.notes = this.#notes;
    if (this.#maxBytes !== Infinity) batch.bytes = this.#bytes;
    // Keys only when every part had them: partial keys could not stay aligned with the rows.
    const keys = this.#keyParts.filter((k) => k !== undefined);
    if (keys.length > 0 && keys.length === this.#keyParts.length)
      batch.keys = keys.length === 1 ? keys[0]! : keys.flat();
    this.#parts = [];
    this.#keyParts = [];
    this.#count = 0;
    this.#bytes = 0;
    this.#rowsRead = 0;
    this.#rowsFiltered = 0;
    this.#rejects = [];
    this.#notes = undefined;
    this.#dirty = false;
    return batch;
  }
}
