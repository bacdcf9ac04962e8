// Whether the rows of an upsert transaction arrived with strictly increasing integer keys, checked
// while they are written. Such a transaction holds no key twice, so its merge needs no DISTINCT ON
// (a sort of the whole staging table), and its key range says where existing rows could be.

import type { Row } from '@ferry/core';
import type { TablePlan } from './table-plan.js';

/** Key column types whose values are integers, compared as canonical integer text. */
const INTEGER_TYPES = new Set(['integer', 'bigint', 'smallint']);
/** Canonical integer text: no sign on zero, no leading zeros, no `+`, no spaces. */
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]*)$/;

/** @internal Tracks one transaction's keys; `strict` stays true while every key is above the last. */
export class KeyRun {
  readonly #column: string | undefined;
  #strict: boolean;
  #first: string | undefined;
  #last: string | undefined;

  /** Only a single integer key column is tracked; any other key is never `strict`. */
  constructor(plan: TablePlan) {
    const key = plan.target.key;
    const column = key.length === 1 ? plan.columns.find((c) => c.name === key[0]) : undefined;
    this.#column = column !== undefined && INTEGER_TYPES.has(column.type) ? column.name : undefined;
    this.#strict = this.#column !== undefined;
  }

  /** True while every key seen was a canonical integer greater than the one before (none seen: true). */
  get strict(): boolean {
    return this.#strict;
  }

  /** The first and last key seen, as canonical integer text; `undefined` unless `strict` and non-empty. */
  get range(): readonly [string, string] | undefined {
    if (!this.#strict || this.#first === undefined || this.#last === undefined) return undefined;
    return [this.#first, this.#last];
  }

  /** Look at the keys of rows about to be written, in the order they are written. */
  add(rows: readonly Row[]): void {
    const column = this.#column;
    if (!this.#strict || column === undefined || rows.length === 0) return;
    let last = this.#last;
    for (const row of rows) {
      const key = integerText(row[column]);
      if (key === undefined || (last !== undefined && compareIntegers(key, last) <= 0)) {
        this.#strict = false;
        return;
      }
      last = key;
    }
    this.#first ??= integerText(rows[0]![column]);
    this.#last = last;
  }
}

/** A key value as canonical integer text, or `undefined` when it is not one (exact: no JS number math). */
function integerText(value: unknown): string | undefined {
  if (typeof value === 'string') return CANONICAL_INTEGER.test(value) ? value : undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** Compare two canonical integer texts by value: sign, then length, then digits. */
export function compareIntegers(a: string, b: string): number {
  const negativeA = a.charCodeAt(0) === 45;
  const negativeB = b.charCodeAt(0) === 45;
  if (negativeA !== negativeB) return negativeA ? -1 : 1;
  const byMagnitude = a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return negativeA ? -byMagnitude : byMagnitude;
}
