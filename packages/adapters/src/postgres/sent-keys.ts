// The keys of the rows a transaction has sent, in stream order, kept compactly: one flat string per
// batch (the keys joined), so a COPY error's line number can still name its row without a string or an
// array per row staying alive for the whole transaction (an array per row cost ~20% of the sink's CPU,
// and a string per row promoted 100k small strings per transaction to the old generation).

import type { Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { keyPart } from './table-plan.js';

// Separators no key text holds in practice: PostgreSQL text cannot hold NUL, and U+0001 only
// separates the parts of a composite key.
const ROW = '\u0000';
const PART = '\u0001';

/** @internal The keys sent in one transaction, by line (0-based, in the order rows were written). */
export class SentKeys {
  readonly #key: readonly string[];
  #batches: string[] = [];
  #counts: number[] = [];
  #size = 0;

  constructor(target: TargetTable) {
    this.#key = target.key;
  }

  /** Rows sent so far. */
  get size(): number {
    return this.#size;
  }

  /** Remember the keys of rows just sent. */
  add(rows: readonly Row[]): void {
    if (rows.length === 0) return;
    const key = this.#key;
    const parts = new Array<string>(rows.length);
    if (key.length === 1) {
      const name = key[0]!;
      for (let i = 0; i < rows.length; i++) parts[i] = keyPart(rows[i]![name]);
    } else {
      for (let i = 0; i < rows.length; i++) parts[i] = key.map((name) => keyPart(rows[i]![name])).join(PART);
    }
    this.#batches.push(parts.join(ROW));
    this.#counts.push(rows.length);
    this.#size += rows.length;
  }

  /** The key of the `index`-th row sent, as {@link rowKey} gives it; `undefined` outside. */
  at(index: number): readonly string[] | undefined {
    if (!(index >= 0 && index < this.#size)) return undefined;
    let rest = index;
    for (let b = 0; b < this.#batches.length; b++) {
      const count = this.#counts[b]!;
      if (rest < count) return this.#batches[b]!.split(ROW)[rest]!.split(PART);
      rest -= count;
    }
    return undefined;
  }

  /** Forget everything (the transaction ended). */
  clear(): void {
    this.#batches = [];
    this.#counts = [];
    this.#size = 0;
  }
}
