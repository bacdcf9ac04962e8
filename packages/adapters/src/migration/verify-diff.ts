// Which keys differ, found by a second read of both sides in key order and a merge: rows only in the
// source (missing), only in the target (unexpected) and in both with other values (changed). Only for
// integer keys, whose order is the same in every database; text keys sort by collation.

import type { CompiledEntity } from '@ferry/mapping';
import type { CanonicalValue } from './verify-canonical.js';
import { canonicalLine } from './verify-digest.js';
import { comparedColumns } from './verify-target-read.js';

/** Keys (one string per key column) that differ, at most `limit` of each kind. */
export interface KeyDifferences {
  readonly missing: readonly (readonly string[])[];
  readonly unexpected: readonly (readonly string[])[];
  readonly changed: readonly (readonly string[])[];
  /** True when more differences exist than were listed. */
  readonly truncated: boolean;
}

/** Whether keys of this entity sort the same on both sides (integer keys only). */
export function canDiffByKey(entity: CompiledEntity): boolean {
  const types = new Map(entity.table.columns.map((c) => [c.name, c.type]));
  return entity.table.key.every((k) => types.get(k) === 'integer' || types.get(k) === 'bigint');
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = BigInt(a[i]!);
    const y = BigInt(b[i]!);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Merges two key-ordered canonical streams and lists the keys that differ. */
export async function diffByKey(
  entity: CompiledEntity,
  source: AsyncIterable<readonly CanonicalValue[]>,
  target: AsyncIterable<readonly CanonicalValue[]>,
  limit: number,
): Promise<KeyDifferences> {
  const columns = comparedColumns(entity.table);
  const keyAt = entity.table.key.map((k) => columns.findIndex((c) => c.name === k));
  const keyOf = (row: readonly CanonicalValue[]) => keyAt.map((i) => row[i] ?? '');
  const out = { missing: [] as string[][], unexpected: [] as string[][], changed: [] as string[][] };
  let truncated = false;
  const note = (list: string[][], key: string[]): void => {
    if (list.length < limit) list.push(key);
    else truncated = true;
  };
  const s = source[Symbol.asyncIterator]();
  const t = target[Symbol.asyncIterator]();
  const next = async (it: AsyncIterator<readonly CanonicalValue[]>) => {
    const step = await it.next();
    return step.done === true ? undefined : step.value;
  };
  let a = await next(s);
  let b = await next(t);
  while (a !== undefined || b !== undefined) {
    const order = a === undefined ? 1 : b === undefined ? -1 : compareKeys(keyOf(a), keyOf(b));
    if (order < 0 && a !== undefined) note(out.missing, keyOf(a));
    else if (order > 0 && b !== undefined) note(out.unexpected, keyOf(b));
    else if (a !== undefined && b !== undefined && canonicalLine(a) !== canonicalLine(b))
      note(out.changed, keyOf(a));
    if (order <= 0) a = await next(s);
    if (order >= 0) b = await next(t);
  }
  return { ...out, truncated };
}
