// rebatch: reshape batches to a target size in rows and/or estimated bytes, splitting big batches and
// merging small ones. Positions stay honest: a piece cut from the middle of a source batch carries the
// position of the last batch read in full (or, with `positionOf`, the exact position of its last row).

import { FerryError } from '../errors.js';
import type { Position } from '../position.js';
import type { Batch } from '../row.js';
import type { Stage } from '../stage.js';
import { RebatchBuffer } from './rebatch-buffer.js';
import { named } from './stage-name.js';

/** How {@link rebatch} sizes its output batches; give `rows`, `bytes` or both. */
export interface RebatchOptions<R> {
  /** At most this many rows per output batch; smaller input batches are merged up to it. */
  readonly rows?: number;
  /** At most about this many bytes per output batch (by `estimate`); a single bigger row goes alone. */
  readonly bytes?: number;
  /** Row size estimate for `bytes`; defaults to `estimateRowBytes` (rows must then be `Row`s). */
  readonly estimate?: (row: R) => number;
  /**
   * The exact source position just after a row (e.g. `{ key: [String(row.Id)] }` for a keyset source).
   * With it, split pieces carry exact positions, so a resume never re-reads durable pieces; without it
   * they carry the previous batch's position and a resume re-reads (and re-writes) the whole source batch.
   */
  readonly positionOf?: (row: R) => Position;
}

/**
 * A stage that splits and merges batches to the given size. Merging keeps the last position and sums
 * `rowsRead`, `rejects` and `rowsFiltered`; splitting never lets a piece's position run ahead of it.
 *
 * @example
 * ```ts
 * // 50 000-row source batches become HTTP requests of at most 2 MB
 * const stage = rebatch({ rows: 5000, bytes: 2_000_000 });
 * ```
 */
export function rebatch<R>(options: RebatchOptions<R>): Stage<R, R> {
  const maxRows = validLimit(options.rows, 'rows');
  const maxBytes = validLimit(options.bytes, 'bytes');
  if (maxRows === Infinity && maxBytes === Infinity) {
    throw invalid('rebatch needs `rows` or `bytes`');
  }
  return named('rebatch', async function* (input, context) {
    const buffer = new RebatchBuffer<R>(context.after ?? null, maxRows, maxBytes, options);
    for await (const batch of input) {
      yield* splitInto(buffer, batch, options.positionOf);
    }
    const last = buffer.flush();
    if (last !== undefined) yield last;
  });
}

function* splitInto<R>(
  buffer: RebatchBuffer<R>,
  batch: Batch<R>,
  positionOf: ((row: R) => Position) | undefined,
): Generator<Batch<R>> {
  const n = batch.rows.length;
  let index = 0;
  while (index < n) {
    index = buffer.take(batch.rows, index, batch.keys);
    if (index < n) yield buffer.emitPiece(positionOf?.(batch.rows[index - 1] as R));
  }
  buffer.finish(batch);
  if (buffer.full) {
    const out = buffer.flush();
    if (out !== undefined) yield out;
  }
}

function validLimit(value: number | undefined, name: string): number {
  if (value === undefined) return Infinity;
  if (!Number.isFinite(value) || value < 1) throw invalid(`rebatch ${name} must be a number >= 1`);
  return value;
}

function invalid(message: string): FerryError {
  return new FerryError(message, { code: 'FERRY_STAGE_CONFIG', reason: 'invalid-config', stage: 'rebatch' });
}
