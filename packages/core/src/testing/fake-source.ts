// A fake keyset source over an array or a row generator: batches in index order, positions
// `{ key: [key], offset }` checked on resume, failure injection at a batch index, and a count of open
// reads so tests can prove that early break and abort release the read.

import { FerryError } from '../errors.js';
import { isKeyPosition } from '../position.js';
import type { Position } from '../position.js';
import type { Batch, Row } from '../row.js';
import type { ReadOptions, Source } from '../source.js';
import { keyOfId, type KeyOf } from './memory-target.js';

/** Options of {@link FakeSource}. */
export interface FakeSourceOptions {
  readonly name?: string;
  /** Rows per batch; overrides the runner's `batchSize` when set. */
  readonly batchSize?: number;
  readonly keyOf?: KeyOf;
  /** Throw when about to yield the batch with this index (0-based over the whole data), `times` times. */
  readonly failAt?: { readonly batch: number; readonly times?: number; readonly error?: () => Error };
  /** Wait this long before each batch (lets aborts land mid-run). */
  readonly delayMs?: number;
}

/**
 * A source over `rowAt(0..length-1)`; rows must be in key order. Built with {@link FakeSource.fromRows}
 * or {@link FakeSource.synthetic} (generated on demand, so millions of rows cost no memory).
 */
export class FakeSource implements Source<Row> {
  readonly name: string;
  readonly #length: number;
  readonly #rowAt: (index: number) => Row;
  readonly #options: FakeSourceOptions;
  #failuresLeft: number;
  #openReads = 0;
  /** Every `read` call's `after`, in order. */
  readonly reads: Position[] = [];

  constructor(length: number, rowAt: (index: number) => Row, options: FakeSourceOptions = {}) {
    this.name = options.name ?? 'fake-source';
    this.#length = length;
    this.#rowAt = rowAt;
    this.#options = options;
    this.#failuresLeft = options.failAt?.times ?? 1;
  }

  /** Rows after `after` (exact). */
  count(options: Pick<ReadOptions, 'after' | 'signal'>): Promise<number | undefined> {
    return Promise.resolve(this.#length - this.#startIndex(options.after ?? null));
  }

  /** A source over an array. */
  static fromRows(rows: readonly Row[], options?: FakeSourceOptions): FakeSource {
    return new FakeSource(rows.length, (i) => rows[i] as Row, options);
  }

  /** A source of `length` generated rows (`makeRow(i)`, default {@link syntheticRow}). */
  static synthetic(
    length: number,
    options?: FakeSourceOptions,
    makeRow: (i: number) => Row = syntheticRow,
  ): FakeSource {
    return new FakeSource(length, makeRow, options);
  }

  /** Reads started and not yet finished (0 once every read released its resources). */
  get openReads(): number {
    return this.#openReads;
  }

  async *read(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    const after = options.after ?? null;
    this.reads.push(after);
    const size = this.#options.batchSize ?? options.batchSize;
    let index = this.#startIndex(after);
    this.#openReads += 1;
    try {
      while (index < this.#length) {
        if (this.#options.delayMs !== undefined) await delay(this.#options.delayMs);
        if (options.signal?.aborted) throw aborted(this.name);
        this.#maybeFail(Math.floor(index / size));
        const end = Math.min(this.#length, index + size);
        const rows: Row[] = new Array<Row>(end - index);
        for (let i = index; i < end; i += 1) rows[i - index] = this.#rowAt(i);
        const key = (this.#options.keyOf ?? keyOfId)(rows[rows.length - 1] as Row);
        index = end;
        yield { rows, position: { key: [key], offset: String(end) }, rowsRead: rows.length };
      }
    } finally {
      this.#openReads -= 1;
    }
  }

  #startIndex(after: Position): number {
    if (after === null) return 0;
    if (!isKeyPosition(after) || typeof after.offset !== 'string') {
      throw new FerryError('fake source: not a position of mine', {
        code: 'FAKE_POSITION',
        reason: 'invalid-data',
      });
    }
    const offset = Number(after.offset);
    const keyOf = this.#options.keyOf ?? keyOfId;
    if (offset < 1 || offset > this.#length || keyOf(this.#rowAt(offset - 1)) !== after.key[0]) {
      throw new FerryError('fake source: position does not match the data', {
        code: 'FAKE_POSITION',
        reason: 'invalid-data',
      });
    }
    return offset;
  }

  #maybeFail(batchIndex: number): void {
    const failAt = this.#options.failAt;
    if (failAt === undefined || failAt.batch !== batchIndex || this.#failuresLeft <= 0) return;
    this.#failuresLeft -= 1;
    throw (
      failAt.error?.() ??
      new FerryError('fake source: injected failure', { code: 'FAKE_READ', reason: 'connection' })
    );
  }
}

/** The rows {@link FakeSource.synthetic} makes by default: `{ id, name, amount }`, id = i + 1 as text. */
export function syntheticRow(i: number): Row {
  return { id: String(i + 1), name: `row ${i + 1}`, amount: `${i}.25` };
}

function aborted(name: string): FerryError {
  return new FerryError(`${name}: read aborted`, { code: 'FAKE_ABORTED', reason: 'aborted' });
}

/** Resolve after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
