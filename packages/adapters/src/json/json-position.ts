// Positions of the JSON source. Both carry the byte offset after the last object read, so a resume
// opens the file there; a position without one (written by hand) falls back to re-parsing and skipping.

import { FerryError } from '@ferry/core';
import type { Position } from '@ferry/core';

/** The two file layouts. */
export type JsonFormat = 'array' | 'ndjson';

/** Array position: index of the last element read (0-based) and the byte after its `}`. */
export interface JsonArrayPosition {
  readonly [field: string]: number | undefined;
  readonly index: number;
  readonly byteOffset?: number;
}

/** NDJSON position: 1-based line of the last record read and the byte after its `}`. */
export interface NdjsonPosition {
  readonly [field: string]: number | undefined;
  readonly line: number;
  readonly byteOffset?: number;
}

/** Where to continue: skip records up to `count` (when no offset) or seek to `byteOffset`. */
export interface ResumePoint {
  readonly byteOffset: number | undefined;
  /** Records already read (array index + 1), or the last line read (NDJSON). */
  readonly done: number;
}

const nonNegativeInteger = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

/** Validates a position for the format; `undefined` means the beginning. */
export function parseJsonPosition(
  format: JsonFormat,
  after: Position | undefined,
  entity: string,
): ResumePoint | undefined {
  if (after === undefined || after === null) return undefined;
  const field = format === 'array' ? 'index' : 'line';
  const record = typeof after === 'object' && !Array.isArray(after) ? (after as Record<string, unknown>) : {};
  const at = record[field];
  const offset = record.byteOffset;
  if (!nonNegativeInteger(at) || (offset !== undefined && !nonNegativeInteger(offset))) {
    throw new FerryError(`${entity}: position must be { ${field}, byteOffset? } for a ${format} file`, {
      code: 'FERRY_SOURCE_CONFIG',
      reason: 'invalid-config',
      entity,
      operation: 'read',
    });
  }
  return { byteOffset: offset, done: format === 'array' ? at + 1 : at };
}
