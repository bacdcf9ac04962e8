// The bisection of one entity: a key range whose checksums agree costs one query per side and is
// done; one that differs is cut at keys taken from the side with more rows there (the same bounds then
// apply to both sides, in the agreed key order; all parts' checksums in one grouped query per side)
// until it is small, and a small range is compared row
// by row: keys and hashes from both databases, then the source rows of the keys that differ (all of
// the range's when the source is not pushed down) mapped in Node, which decides.

import { DiffKeys, differingKeys } from './diff-leaf.js';
import { addChecksums, checksumOfHash, EMPTY_CHECKSUM, sameChecksum, type Checksum } from './diff-hash.js';
import { bucketChecksums, bucketRange, keySpan } from './diff-buckets.js';
import type { MappedRange, NodeRangeReader } from './diff-node-read.js';
import type { KeyHash, KeyRange, SqlSide } from './diff-sql-side.js';

/** How far a diff cuts ranges. */
export interface BisectOptions {
  /** A range is compared row by row once neither side holds more rows than this. Default 2,000. */
  readonly leafRows: number;
  /** Parts a differing range is cut into. Default 16. */
  readonly fanout: number;
  /** Rows per bucket of an integer key (see diff-buckets.ts). Default 256. */
  readonly bucketRows: number;
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

/** Bytes of Binary Data a range read into Node may hold (more are cut, down to one key). */
const LEAF_BYTES = 16 * 1024 * 1024;

/** Small differing buckets whose rows are read in one query. */
const BUCKETS_PER_QUERY = 50;

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

  const sumOf = (rows: readonly KeyHash[]) =>
    rows.reduce((sum, row) => addChecksums(sum, checksumOfHash(row.hash)), EMPTY_CHECKSUM);

  function record(mapped: MappedRange, kept: Checksum, there: Checksum): void {
    sourceSum = addChecksums(sourceSum, addChecksums(kept, sumOf(mapped.rows)));
    targetSum = addChecksums(targetSum, there);
    rejected += mapped.rejected;
    filtered += mapped.filtered;
  }

  /** A small range mapped in Node whole (the source side is not pushed down). */
  async function leaf(range: KeyRange, rows: number, there: Checksum): Promise<void> {
    // Binary Data: a range read at once holds at most LEAF_BYTES (or one key's rows).
    const binary = (source.shape.binary ?? []).length > 0;
    if (binary && rows > 1 && (await source.bytes(range)) > LEAF_BYTES && (await split(range, source, rows)))
      return;
    const mapped = await reader.read(range, options.signal);
    record(mapped, EMPTY_CHECKSUM, there);
    if (!sameChecksum(sumOf(mapped.rows), there)) keys.compare(mapped.rows, await target.hashes(range));
  }

  /**
   * A small pushed-down range: keys and hashes from both databases; only the rows whose hashes differ
   * are read and mapped in Node, which decides (a reference the mapping sets NULL, a rejected row).
   */
  async function pushedLeaf(there: Checksum, ...ranges: KeyRange[]): Promise<void> {
    const [mine, theirs] = await Promise.all([source.hashes(...ranges), target.hashes(...ranges)]);
    const suspects = differingKeys(mine, theirs);
    const ids = new Set(suspects.map((key) => JSON.stringify(key)));
    const suspected = (row: KeyHash) => ids.has(JSON.stringify(row.key));
    const mapped =
      suspects.length === 0
        ? { rows: [], rejected: 0, filtered: 0 }
        : await reader.read({}, options.signal, suspects);
    record(mapped, sumOf(mine.filter((row) => !suspected(row))), there);
    keys.compare(mapped.rows, theirs.filter(suspected));
  }

  /**
   * Cuts a range at every `rows / fanout`-th key of `side` and examines each part, whose checksums
   * both sides compute in one query each; false when the range cannot be cut (one key throughout).
   */
  async function split(range: KeyRange, side: SqlSide, rows: number): Promise<boolean> {
    const found = await side.bounds(range, Math.ceil(rows / options.fanout));
    const bounds: (readonly string[])[] = [];
    for (const bound of found)
      if (!sameKey(bound, bounds.at(-1)) && !sameKey(bound, range.upTo)) bounds.push(bound);
    if (bounds.length === 0) return false;
    const [mine, theirs] = await Promise.all([
      source.parts(range, bounds, pushdown),
      target.parts(range, bounds, true),
    ]);
    let after = range.after;
    for (const [i, upTo] of [...bounds, range.upTo].entries()) {
      options.signal.throwIfAborted();
      const part = { ...(after === undefined ? {} : { after }), ...(upTo === undefined ? {} : { upTo }) };
      await examine(part, mine[i]!, theirs[i]!);
      after = upTo;
    }
    return true;
  }

  /** A range whose checksums (the source's count only, when not pushed down) are known. */
  async function examine(range: KeyRange, here: Checksum, there: Checksum): Promise<void> {
    if (pushdown && sameChecksum(here, there)) {
      sourceSum = addChecksums(sourceSum, here);
      targetSum = addChecksums(targetSum, there);
      return;
    }
    const larger = Math.max(here.rows, there.rows);
    if (larger > options.leafRows && (await split(range, here.rows >= there.rows ? source : target, larger)))
      return;
    await (pushdown ? pushedLeaf(there, range) : leaf(range, here.rows, there));
  }

  /** Buckets of a single integer key, all checksummed in one scan per side; false when empty. */
  async function bucketed(here: Checksum, there: Checksum): Promise<boolean> {
    const [a, b] = await Promise.all([keySpan(source), keySpan(target)]);
    const spans = [a, b].filter((span) => span !== undefined);
    if (spans.length === 0) return false;
    const low = spans.reduce((min, span) => (span.low < min ? span.low : min), spans[0]!.low);
    const high = spans.reduce((max, span) => (span.high > max ? span.high : max), spans[0]!.high);
    const count = BigInt(Math.max(1, Math.ceil(Math.max(here.rows, there.rows) / options.bucketRows)));
    const width = (high - low + count) / count;
    const [mine, theirs] = await Promise.all([
      bucketChecksums(source, low, width, true),
      bucketChecksums(target, low, width, true),
    ]);
    const buckets = [...new Set([...mine.keys(), ...theirs.keys()])].sort((x, y) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    // Small differing buckets are compared row by row BUCKETS_PER_QUERY at a time; equal ones are
    // counted and large ones cut further.
    let small: { range: KeyRange; there: Checksum }[] = [];
    const flush = async () => {
      if (small.length === 0) return;
      const there = small.reduce((sum, b) => addChecksums(sum, b.there), EMPTY_CHECKSUM);
      await pushedLeaf(there, ...small.map((b) => b.range));
      small = [];
    };
    for (const bucket of buckets) {
      options.signal.throwIfAborted();
      const range = bucketRange(low, width, bucket);
      const here = mine.get(bucket) ?? EMPTY_CHECKSUM;
      const there = theirs.get(bucket) ?? EMPTY_CHECKSUM;
      if (sameChecksum(here, there) || Math.max(here.rows, there.rows) > options.leafRows)
        await examine(range, here, there);
      else {
        small.push({ range, there });
        if (small.length === BUCKETS_PER_QUERY) await flush();
      }
    }
    await flush();
    return true;
  }

  const [here, there] = await Promise.all([
    pushdown ? source.checksum({}) : source.count({}).then((rows) => ({ ...EMPTY_CHECKSUM, rows })),
    target.checksum({}),
  ]);
  const integerKey = source.shape.keys.length === 1 && source.shape.keys[0]!.kind === 'integer';
  const done = pushdown && integerKey && !sameChecksum(here, there) && (await bucketed(here, there));
  if (!done) await examine({}, here, there);
  return { keys, source: sourceSum, target: targetSum, rejected, filtered };
}
