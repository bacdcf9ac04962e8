// The backing "table" of the fake sinks: rows in commit order, shared across sink instances so a
// resumed run writes into what the interrupted one left. Duplicates stay visible for assertions.

import type { Row } from '../row.js';

/** How the fakes find a row's key: its `id` attribute as a string by default. */
export type KeyOf = (row: Row) => string;

/** The default {@link KeyOf}: `String(row.id)`. */
export const keyOfId: KeyOf = (row) => String(row.id);

/**
 * Rows committed by fake sinks, in commit order.
 *
 * @example
 * ```ts
 * const target = new MemoryTarget();
 * await run(plan(new FakeSink({ target })), options);
 * expect(target.duplicateKeys()).toEqual([]);
 * ```
 */
export class MemoryTarget {
  readonly #keyOf: KeyOf;
  #rows: Row[] = [];
  #index = new Map<string, number>();

  constructor(keyOf: KeyOf = keyOfId) {
    this.#keyOf = keyOf;
  }

  /** Every committed row, in commit order (an upsert replaces in place). */
  get rows(): readonly Row[] {
    return this.#rows;
  }

  /** Append rows (a non-idempotent sink: writing twice duplicates). */
  insert(rows: readonly Row[]): void {
    for (const row of rows) {
      this.#index.set(this.#keyOf(row), this.#rows.length);
      this.#rows.push(row);
    }
  }

  /** Insert or replace by key (an idempotent sink). */
  upsert(rows: readonly Row[]): void {
    for (const row of rows) {
      const at = this.#index.get(this.#keyOf(row));
      if (at === undefined) this.insert([row]);
      else this.#rows[at] = row;
    }
  }

  /** Keys that occur more than once. */
  duplicateKeys(): string[] {
    const seen = new Set<string>();
    const dup = new Set<string>();
    for (const row of this.#rows) {
      const key = this.#keyOf(row);
      if (seen.has(key)) dup.add(key);
      seen.add(key);
    }
    return [...dup];
  }

  /** Whether a row with this key is committed. */
  has(key: string): boolean {
    return this.#index.has(key);
  }

  /** Forget everything. */
  clear(): void {
    this.#rows = [];
    this.#index.clear();
  }
}
