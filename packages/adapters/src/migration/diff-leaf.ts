// The row-by-row end of a diff: a small range's keys and row hashes from both sides, grouped by key
// (no order needed, so no collation matters), sorted into keys only in the source, only in the target,
// changed, and keys the source holds on more rows than the target (a non-unique key whose row was lost).

import type { DiffKey } from './diff-types.js';
import type { KeyKind } from './diff-sql-dialect.js';
import type { KeyHash } from './diff-sql-side.js';

interface Grouped {
  readonly key: DiffKey;
  readonly hashes: string[];
}

/** Rows grouped by key (the key's JSON as the map key). */
function group(rows: readonly KeyHash[]): Map<string, Grouped> {
  const by = new Map<string, Grouped>();
  for (const row of rows) {
    const id = JSON.stringify(row.key);
    const found = by.get(id);
    if (found === undefined) by.set(id, { key: row.key, hashes: [row.hash] });
    else found.hashes.push(row.hash);
  }
  return by;
}

/** The keys whose rows differ between two lists (present on one side only, or other hashes). */
export function differingKeys(source: readonly KeyHash[], target: readonly KeyHash[]): DiffKey[] {
  const s = group(source);
  const t = group(target);
  const keys: DiffKey[] = [];
  for (const [id, { key, hashes }] of s) if (!sameMultiset(hashes, t.get(id)?.hashes ?? [])) keys.push(key);
  for (const [id, { key }] of t) if (!s.has(id)) keys.push(key);
  return keys;
}

/** The differing keys found so far in one entity. */
export class DiffKeys {
  readonly onlyInSource: DiffKey[] = [];
  readonly onlyInTarget: DiffKey[] = [];
  readonly changed: DiffKey[] = [];
  readonly duplicates: DiffKey[] = [];

  /** Compares a range's rows from both sides and records each differing key once. */
  compare(source: readonly KeyHash[], target: readonly KeyHash[]): void {
    const s = group(source);
    const t = group(target);
    for (const [id, { key, hashes }] of s) {
      const there = t.get(id)?.hashes ?? [];
      if (there.length === 0) this.onlyInSource.push(key);
      else if (hashes.length === 1 && there.length === 1) {
        if (hashes[0] !== there[0]) this.changed.push(key);
      } else if (!sameMultiset(hashes, there)) {
        if (hashes.length > there.length) this.duplicates.push(key);
        else this.changed.push(key);
      }
    }
    for (const [id, { key }] of t) if (!s.has(id)) this.onlyInTarget.push(key);
  }

  /** Whether no difference was found. */
  get empty(): boolean {
    return (
      this.onlyInSource.length + this.onlyInTarget.length + this.changed.length + this.duplicates.length === 0
    );
  }

  /** Sorts every list in the agreed key order. */
  sort(kinds: readonly KeyKind[]): void {
    const order = keyOrder(kinds);
    for (const list of [this.onlyInSource, this.onlyInTarget, this.changed, this.duplicates])
      list.sort(order);
  }
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((value, i) => value === y[i]);
}

/** Code point order (what the databases' binary collations give), not UTF-16 unit order. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The agreed key order: integers by value, text by code point, column by column. */
export function keyOrder(kinds: readonly KeyKind[]): (a: DiffKey, b: DiffKey) => number {
  return (a, b) => {
    for (let i = 0; i < kinds.length; i++) {
      const x = a[i] ?? '';
      const y = b[i] ?? '';
      if (x === y) continue;
      if (kinds[i] === 'integer') return BigInt(x) < BigInt(y) ? -1 : 1;
      return compareCodePoints(x, y);
    }
    return 0;
  };
}
