// The bisection of one entity: a key range whose checksums agree costs one query per side and is
// done; one that differs is cut at keys taken from the side with more rows there (the same bounds then
// apply to both sides, in the agreed key order) until it is small, and a small range is compared row
// by row: its source rows mapped in Node, its target rows as key + hash.

import { DiffKeys } from './diff-leaf.js';
import { addChecksums, checksumOfHash, EMPTY_CHECKSUM, sameChecksum, type Checksum } from './diff-hash.js';
import type { NodeRangeReader } from './diff-node-read.js';
import type { KeyRange, SqlSide } from './diff-sql-side.js';

/** How far a diff cuts ranges. */
export interface BisectOptions {
  /** A range is compared row by row once neither side holds more rows than this. Default 2,000. */
  readonly leafRows: number;
  /** Parts a differing range is cut into. Default 16. */
  readonly fanout: number;
  readonly signal: AbortSignal;
}

/** What the bisection of one entity found. */
export interface BisectResult {
  readonly keys: DiffKeys;
  /** The mapped source's checksum (summed over ranges) and the target's. */
  readonly source: Checksum;
  readonly target: Checksum;
  readonly rejected: number;
  readonly filtered: number;
}

const sameKey = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((value, i) => value === b[i]);

/** Bisects an entity; `pushdown` says whether the source side's checksums come from its database. */
export async function bisect(
  sides: { readonly source: SqlSide; readonly target: SqlSide; readonly reader: NodeRangeReader },
  pushdown: boolean,
  options: BisectOptions,
): Promise<BisectResult> {
  const { source, target, reader } = sides;
  const keys = new DiffKeys();
  let sourceSum = EMPTY_CHECKSUM;
  let targetSum = EMPTY_CHECKSUM;
  let rejected = 0;
  let filtered = 0;

  async function leaf(range: KeyRange, there: Checksum): Promise<void> {
    const mapped = await reader.read(range, options.signal);
    const here = mapped.rows.reduce(
      (sum, row) => addChecksums(sum, checksumOfHash(row.hash)),
      EMPTY_CHECKSUM,
    );
    sourceSum = addChecksums(sourceSum, here);
    targetSum = addChecksums(targetSum, there);
    rejected += mapped.rejected;
    filtered += mapped.filtered;
    if (!sameChecksum(here, there)) keys.compare(mapped.rows, await target.hashes(range));
  }

  /** Cuts a range at every `rows / fanout`-th key of `side`; false when it cannot be cut. */
  async function split(range: KeyRange, side: SqlSide, rows: number): Promise<boolean> {
    const found = await side.bounds(range, Math.ceil(rows / options.fanout));
    const bounds: (readonly string[])[] = [];
    for (const bound of found)
      if (!sameKey(bound, bounds.at(-1)) && !sameKey(bound, range.upTo)) bounds.push(bound);
    if (bounds.length === 0) return false;
    let after = range.after;
    for (const upTo of [...bounds, range.upTo]) {
      await visit({ ...(after === undefined ? {} : { after }), ...(upTo === undefined ? {} : { upTo }) });
      after = upTo;
    }
    return true;
  }

  async function visit(range: KeyRange): Promise<void> {
    options.signal.throwIfAborted();
    const [here, there] = await Promise.all([
      pushdown ? source.checksum(range) : source.count(range).then((rows) => ({ ...EMPTY_CHECKSUM, rows })),
      target.checksum(range),
    ]);
    if (pushdown && sameChecksum(here, there)) {
      sourceSum = addChecksums(sourceSum, here);
      targetSum = addChecksums(targetSum, there);
      return;
    }
    const larger = Math.max(here.rows, there.rows);
    if (larger > options.leafRows && (await split(range, here.rows >= there.rows ? source : target, larger)))
      return;
    await leaf(range, there);
  }

  await visit({});
  return { keys, source: sourceSum, target: targetSum, rejected, filtered };
}
