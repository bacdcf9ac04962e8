// The persisted ranges of a partitioned entity. The first plan of a run splits the key space and saves
// the ranges as one checkpoint record (one atomic save), so every later plan of the run (a resume, a
// re-plan after the table grew, another machine) uses exactly the same ranges and partition ids.

import type { Checkpoint } from './checkpoint.js';
import { FerryError } from './errors.js';
import type { JsonValue } from './json.js';
import type { KeyRange } from './partition.js';
import { partitionLayoutId } from './partition.js';

/** The layout record of `entity` in `runId`: sequence 0, `completed`, the ranges in its position. */
export function layoutCheckpoint(runId: string, entity: string, ranges: readonly KeyRange[]): Checkpoint {
  const encoded: JsonValue[] = ranges.map((range) => [bound(range.after), bound(range.upTo)]);
  return {
    runId,
    entity: partitionLayoutId(entity),
    position: { ranges: encoded },
    sequence: 0,
    status: 'completed',
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
    rowsFiltered: 0,
    updatedAt: new Date().toISOString(),
  };
}

/** The ranges of a layout record; throws when the record is not one Ferry wrote. */
export function layoutRanges(checkpoint: Checkpoint): KeyRange[] {
  const position = checkpoint.position as { ranges?: unknown } | null;
  const encoded = position?.ranges;
  if (!Array.isArray(encoded)) throw broken(checkpoint.entity);
  const ranges = encoded.map((pair: unknown): KeyRange => {
    if (!Array.isArray(pair) || pair.length !== 2) throw broken(checkpoint.entity);
    const [after, upTo] = pair.map((part: unknown) => parseBound(part, checkpoint.entity));
    return { ...(after === undefined ? {} : { after }), ...(upTo === undefined ? {} : { upTo }) };
  });
  checkTiling(checkpoint.entity, ranges);
  return ranges;
}

/**
 * Throws unless `ranges` cover the whole key space once: the first open below, the last open above,
 * each starting exactly where the previous one ends.
 */
export function checkTiling(entity: string, ranges: readonly KeyRange[]): void {
  const tiled =
    ranges.length > 0 &&
    ranges[0]!.after === undefined &&
    ranges[ranges.length - 1]!.upTo === undefined &&
    ranges.every((range, i) => i === 0 || sameKey(ranges[i - 1]!.upTo, range.after));
  if (!tiled) {
    throw new FerryError(`${entity}: the key ranges of its partitions do not cover the key space once`, {
      code: 'FERRY_PARTITION_RANGES',
      reason: 'invalid-config',
      entity,
      operation: 'plan',
    });
  }
}

function sameKey(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((part, i) => part === b[i]);
}

function bound(key: readonly string[] | undefined): JsonValue {
  return key === undefined ? null : [...key];
}

function parseBound(part: unknown, entity: string): string[] | undefined {
  if (part === null) return undefined;
  if (Array.isArray(part) && part.every((p): p is string => typeof p === 'string')) return part;
  throw broken(entity);
}

function broken(entity: string): FerryError {
  return new FerryError(
    `${entity}: the stored partition layout is not one Ferry wrote; reset the run to plan it again`,
    { code: 'FERRY_PARTITION_LAYOUT', reason: 'invalid-config', entity, operation: 'plan' },
  );
}
