// Rows to COPY pieces: one UTF-8 Buffer of up to ~1000 rows. Each row is built as one string (fields
// appended, V8 ropes) and written into the piece at once, so no piece-sized string is ever flattened
// and re-encoded; a failure names table, column and key. A row with a large Binary Data value is cut
// into parts instead, so its hex text never exists all at once.

import { FerryError, isFerryError } from '@ferry/core';
import type { Row } from '@ferry/core';
import { encodeCopyValue } from './copy-encoder.js';
import type { TablePlan } from './table-plan.js';
import { rowKey } from './table-plan.js';

/** Bytes a piece starts with unless the caller knows better (the last piece's size, say). */
const FIRST_PIECE_BYTES = 64 * 1024;

/**
 * Encode `rows[start..end)` as COPY text lines for the plan's columns, in UTF-8. Attributes missing
 * from a row are written as NULL (the target's NOT NULL constraint still applies).
 *
 * Writing each row into a Buffer, instead of one string for the piece that the socket write then
 * converts, took the encoding of 200k benchmark rows from about 1.4 to 0.5 CPU s: converting a string
 * of ~1000 rows flattens a deep rope, and one emoji makes the whole piece a two-byte string.
 *
 * @param sizeHint bytes to allocate first (default 64 KiB); the piece grows by doubling when needed.
 * @returns the piece (a view of a Buffer that may be larger); empty when `start >= end`.
 * @throws FerryError (`invalid-data`) naming table, column and key when a value cannot be encoded.
 */
export function encodeCopyRows(
  plan: TablePlan,
  rows: readonly Row[],
  start: number,
  end: number,
  sizeHint = FIRST_PIECE_BYTES,
): Buffer {
  const names = plan.names;
  const forms = plan.forms;
  const width = names.length;
  let piece = Buffer.allocUnsafe(Math.max(1024, sizeHint));
  let length = 0;
  let r = start;
  let c = 0;
  try {
    for (; r < end; r++) {
      const row = rows[r]!;
      let line = encodeCopyValue(row[names[0]!], forms[0]!);
      for (c = 1; c < width; c++) {
        line += '\t' + encodeCopyValue(row[names[c]!], forms[c]!);
      }
      line += '\n';
      c = 0;
      // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
      const needed = length + line.length * 3;
      if (needed > piece.length) piece = grow(piece, length, needed);
      length += piece.write(line, length);
    }
  } catch (error) {
    throw withRowContext(error, plan, rows[r], names[c]);
  }
  return piece.subarray(0, length);
}

function grow(piece: Buffer, used: number, needed: number): Buffer<ArrayBuffer> {
  const larger = Buffer.allocUnsafe(Math.max(piece.length * 2, needed));
  piece.copy(larger, 0, 0, used);
  return larger;
}

/**
 * One row as COPY text in parts: a Binary Data value over `partBytes` bytes is written as `\\\\x` and
 * then its hex in slices of `partBytes` bytes (Buffers of 2 × `partBytes` hex digits), so a 20 MB
 * value needs 2 × `partBytes` of text at a time instead of a 40 MB string. Joined, the parts equal
 * {@link encodeCopyRows} of the row.
 *
 * @throws FerryError (`invalid-data`) naming table, column and key when a value cannot be encoded.
 */
export function* encodeCopyRowParts(
  plan: TablePlan,
  row: Row,
  partBytes: number,
): Generator<string | Buffer> {
  const { names, forms } = plan;
  let out = '';
  let c = 0;
  try {
    for (; c < names.length; c++) {
      if (c > 0) out += '\t';
      const value = row[names[c]!];
      if (value instanceof Uint8Array && value.byteLength > partBytes) {
        yield out + '\\\\x';
        out = '';
        for (let at = 0; at < value.byteLength; at += partBytes) {
          yield hexBytes(value, at, Math.min(value.byteLength, at + partBytes));
        }
      } else {
        out += encodeCopyValue(value, forms[c]!);
      }
    }
  } catch (error) {
    throw withRowContext(error, plan, row, names[c]);
  }
  yield out + '\n';
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * `bytes[from..to)` as hex digits in a Buffer, built without a JS string: the parts of a 20 MB value
 * are then external memory freed with their Buffers, not 40 MB of heap strings left for a full GC.
 */
function hexBytes(bytes: Uint8Array, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe((to - from) * 2);
  for (let i = from, j = 0; i < to; i++, j += 2) {
    const b = bytes[i]!;
    out[j] = HEX_DIGITS[b >> 4]!;
    out[j + 1] = HEX_DIGITS[b & 15]!;
  }
  return out;
}

/** The bytes of a row's Binary Data values in `columns` (indexes into the plan's names). */
export function binaryBytes(plan: TablePlan, row: Row, columns: readonly number[]): number {
  let bytes = 0;
  for (const c of columns) {
    const value = row[plan.names[c]!];
    if (value instanceof Uint8Array) bytes += value.byteLength;
  }
  return bytes;
}

/** Re-throw an encoding error with the table, column and row key it happened at. */
export function withRowContext(
  error: unknown,
  plan: TablePlan,
  row: Row | undefined,
  column: string | undefined,
): FerryError {
  const message = isFerryError(error) ? error.message : 'value cannot be encoded';
  return new FerryError(`${plan.label}.${column ?? '?'}: ${message}`, {
    code: isFerryError(error) ? error.code : 'FERRY_PG_ENCODE',
    reason: 'invalid-data',
    cause: error,
    operation: 'encode',
    attribute: column,
    key: rowKey(plan.target, row),
  });
}
