// A cheap estimate of a row's in-memory size, for batching by bytes (HTTP payload limits, memory caps).
// It walks the row once and never serialises it.

import type { Row } from '../row.js';

/** Per-attribute overhead (name pointer, slot) in the estimate. */
const SLOT_BYTES = 8;

/**
 * Approximate size of a row in bytes: text counts its UTF-16 length (×2 would over-count ASCII payloads,
 * so ×1 plus overhead is used, which matches UTF-8 for ASCII), binary its byte length, numbers 8.
 * Good enough to keep a batch under a payload limit with a margin; not an exact wire size.
 *
 * @example
 * ```ts
 * estimateRowBytes({ Id: '1', Name: 'Ada', Photo: new Uint8Array(1024) }); // ≈ 1060
 * ```
 */
export function estimateRowBytes(row: Row): number {
  let bytes = 2;
  for (const name in row) {
    const value = row[name];
    bytes += name.length + SLOT_BYTES;
    if (typeof value === 'string') bytes += value.length + 2;
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else if (typeof value === 'bigint') bytes += 20;
    else if (value instanceof Date) bytes += 24;
    else bytes += 8;
  }
  return bytes;
}
