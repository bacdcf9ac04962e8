// A source position: where a resumed read continues. Opaque to core, JSON-safe by construction.

import type { JsonValue } from './json.js';

/**
 * Where a source stands: what it needs to continue strictly after the last row it yielded.
 * Core never looks inside; each source defines its shape, e.g. `{ key: ["9007199254740993"] }` for a
 * keyset read (key parts as strings so 64-bit and decimal keys stay exact) or `{ line: "120000" }` for a
 * file. `null` means the beginning.
 */
export type Position = JsonValue;

/**
 * The position of a keyset source: the key of the last row read, one string per key column.
 * Strings keep BIGINT and DECIMAL keys exact through JSON.
 */
export interface KeyPosition {
  readonly [field: string]: JsonValue;
  readonly key: readonly string[];
}

/** Whether a position is a {@link KeyPosition}. */
export function isKeyPosition(position: Position | undefined): position is KeyPosition {
  return (
    typeof position === 'object' &&
    position !== null &&
    !Array.isArray(position) &&
    Array.isArray((position as { key?: unknown }).key) &&
    (position as { key: unknown[] }).key.every((part) => typeof part === 'string')
  );
}
