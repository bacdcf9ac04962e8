// The keyset read shared by the SQL sources (knex and SQL Server): resolve the key columns, then
// fetch pages strictly after the last key until a short page, checking the abort signal between pages.
// Each source supplies its page query, its value normalisation and, for tables with large columns, a
// query of their byte sizes, so a page stops at `batchBytes`. One page is read ahead.

import { FerryError, isKeyPosition } from '@ferry/core';
import type { Batch, KeyRange, Position, ReadOptions, Row } from '@ferry/core';
import { toSourceColumns } from '../knex/knex-column.js';
import type { SourceColumn } from '../knex/knex-column.js';
import { validateIdentifier } from '../knex/knex-identifier.js';
import { readAbortedError, sourceConfigError } from './read-errors.js';

/** The table options both SQL sources (knex, SQL Server) take. */
export interface KeyedTableOptions {
  readonly table: string;
  /** Schema (PostgreSQL, SQL Server) or database (MariaDB) of the table; the connection's default when absent. */
  readonly schema?: string | undefined;
  /** The key columns, in order; they must identify a row. Added to `columns` when missing. */
  readonly key: readonly string[];
  /** Columns to read: names, or `{ name, kind }` to read them exactly (see {@link SourceColumn}). */
  readonly columns: readonly (string | SourceColumn)[];
  /** Rows per query; overrides `ReadOptions.batchSize` when set. */
  readonly batchSize?: number | undefined;
  /** Label for logs and errors; defaults to the table name. */
  readonly name?: string | undefined;
  /**
   * `estimate` (default) uses table statistics for a full read (sys.partitions on SQL Server);
   * `exact` counts; `none` skips.
   */
  readonly count?: 'estimate' | 'exact' | 'none' | undefined;
  /**
   * Read only keys in this range (strictly after `range.after`, up to and including `range.upTo`):
   * one partition of the table. A read with no position starts after `range.after`.
   */
  readonly range?: KeyRange | undefined;
}

/**
 * What a keyset source supplies to {@link readKeysetPages}; `Raw` is the driver's record (an object by
 * column name, or an array in select-list order where the driver can answer one).
 */
export interface KeysetPager<Raw = Record<string, unknown>> {
  /** Label for errors. */
  readonly name: string;
  /** The key columns, in order. */
  readonly key: readonly SourceColumn[];
  /** Rows per page; overrides `ReadOptions.batchSize` when set. */
  readonly batchSize: number | undefined;
  /** Advice appended to the error for a key value that is neither text nor an integer. */
  readonly keyAdvice?: string | undefined;
  /** One page of at most `size` records after `last` (the start when `undefined`), in key order. */
  page(
    last: readonly string[] | undefined,
    size: number,
    signal: AbortSignal | undefined,
  ): Promise<readonly Raw[]>;
  normalize(record: Raw): Row;
  /**
   * The byte sizes of the large columns (Binary Data) of at most `size` rows after `last`, in key
   * order, without reading the values; absent, or answering `undefined`, when the table has none.
   * With it and `ReadOptions.batchBytes`, a page holds only the rows that fit the budget (at least one).
   */
  readonly sizes?:
    | ((
        last: readonly string[] | undefined,
        size: number,
        signal: AbortSignal | undefined,
      ) => Promise<readonly number[] | undefined>)
    | undefined;
  /**
   * Completes a page's rows after normalisation, e.g. reads large values the page query left out in
   * slices, so no driver ever holds one whole (see the knex source).
   */
  readonly complete?:
    ((rows: Row[], raw: readonly Raw[], signal: AbortSignal | undefined) => Promise<void>) | undefined;
  /** Where a read without a position starts (the lower bound of a key range), exclusive. */
  readonly start?: readonly string[] | undefined;
}

/** Validates table, schema and column names; adds missing key columns; returns columns and key. */
export function keyedSourceColumns(
  name: string,
  options: KeyedTableOptions,
): { columns: SourceColumn[]; key: SourceColumn[] } {
  validateIdentifier(options.table, 'table');
  if (options.schema !== undefined) validateIdentifier(options.schema, 'schema');
  if (options.key.length === 0) throw sourceConfigError(`${name}: at least one key column is required`);
  const columns = toSourceColumns(options.columns);
  for (const key of options.key) {
    if (!columns.some((column) => column.name === key)) columns.push({ name: key });
  }
  for (const column of columns) validateIdentifier(column.name, 'column');
  const key = options.key.map((keyName) => columns.find((column) => column.name === keyName)!);
  for (const bound of [options.range?.after, options.range?.upTo]) {
    if (bound !== undefined && bound.length !== key.length)
      throw sourceConfigError(`${name}: a key range bound needs ${key.length} part(s), one per key column`);
  }
  return { columns, key };
}

/** The position after `last`: `null` at the start, else `{ key }`. */
export function keyPosition(last: readonly string[] | undefined): Position {
  return last === undefined ? null : { key: [...last] };
}

/** Validates a `{ key: string[] }` position of `keyLength` parts; `undefined` means the start. */
export function parseKeyAfter(
  after: Position | undefined,
  keyLength: number,
  name: string,
): readonly string[] | undefined {
  if (after === undefined || after === null) return undefined;
  if (isKeyPosition(after) && after.key.length === keyLength) return after.key;
  throw sourceConfigError(`${name}: position is not a key position of ${keyLength} part(s)`);
}

/** Yields batches of normalised rows in key order, strictly after `options.after`. */
export async function* readKeysetPages<Raw>(
  pager: KeysetPager<Raw>,
  options: ReadOptions,
): AsyncGenerator<Batch<Row>> {
  const size = pager.batchSize ?? options.batchSize;
  if (!Number.isInteger(size) || size < 1)
    throw sourceConfigError(`${pager.name}: batch size must be a positive integer`);
  let last = parseKeyAfter(options.after, pager.key.length, pager.name) ?? pager.start;
  const budget = options.batchBytes ?? Infinity;
  const window: SizeWindow = { sizes: [], complete: false };
  const fetch = (after: readonly string[] | undefined): Promise<Page<Raw>> =>
    fetchPage(pager, after, size, budget, window, options.signal);
  let ahead: Promise<Page<Raw>> | undefined;
  try {
    for (;;) {
      if (options.signal?.aborted === true) throw readAbortedError(pager.name, keyPosition(last));
      const { raw, more, bytes } = await (ahead ?? fetch(last));
      ahead = undefined;
      if (raw.length === 0) return;
      const rows = raw.map((record) => pager.normalize(record));
      const lastRow = rows[rows.length - 1]!;
      last = pager.key.map((key) => keyText(lastRow[key.name], pager.name, key.name, pager.keyAdvice));
      await pager.complete?.(rows, raw, options.signal);
      // Read ahead one page: the database answers it while the consumer maps and writes this one;
      // not after a page over the byte budget (one big row), which would double what is held.
      if (more && !(bytes !== undefined && bytes > budget)) {
        ahead = fetch(last);
        ahead.catch(noop);
      }
      yield {
        rows,
        position: { key: last },
        rowsRead: rows.length,
        ...(bytes === undefined ? {} : { bytes }),
      };
      if (!more) return;
    }
  } finally {
    // A consumer that stops (break, abort, error) gets the connection back: the page read ahead is
    // waited for and dropped.
    if (ahead !== undefined) await ahead.catch(noop);
  }
}

const noop = (): void => undefined;

/** One page: its records, whether rows may follow, and the measured bytes of its large columns. */
interface Page<Raw> {
  readonly raw: readonly Raw[];
  readonly more: boolean;
  readonly bytes?: number | undefined;
}

/**
 * Pages measured ahead by one sizing query: the sizing of the next {@link SIZE_WINDOW_PAGES} pages is
 * asked for at once (one query per page doubled the queries and, on the benchmark's 1M rows with one
 * blob column, cost about a fifth of the throughput).
 */
const SIZE_WINDOW_PAGES = 8;

/** Measured sizes of the rows after the last page read, in key order; `complete` when they run to the end. */
interface SizeWindow {
  sizes: number[];
  complete: boolean;
}

/**
 * A page of at most `size` rows after `last`; with a byte budget and a table with large columns, first
 * their sizes (from the window, measured again when it runs short), then only the rows that fit (always
 * at least one, so a row over the budget comes alone). Rows inserted or deleted between the sizing and
 * the page only shift which rows the sizes describe: the window is dropped when a page comes back short.
 */
async function fetchPage<Raw>(
  pager: KeysetPager<Raw>,
  last: readonly string[] | undefined,
  size: number,
  budget: number,
  window: SizeWindow,
  signal: AbortSignal | undefined,
): Promise<Page<Raw>> {
  const plain = async (): Promise<Page<Raw>> => {
    const raw = await pager.page(last, size, signal);
    return { raw, more: raw.length === size };
  };
  if (budget === Infinity || pager.sizes === undefined) return plain();
  if (window.sizes.length < size && !window.complete) {
    const asked = size * SIZE_WINDOW_PAGES;
    const sizes = await pager.sizes(last, asked, signal);
    if (sizes === undefined) return plain();
    window.sizes = [...sizes];
    window.complete = sizes.length < asked;
  }
  const { rows, bytes } = rowsWithin(window.sizes.slice(0, size), budget);
  if (rows === 0) return { raw: [], more: false };
  const raw = await pager.page(last, rows, signal);
  window.sizes = raw.length === rows ? window.sizes.slice(rows) : [];
  if (raw.length !== rows) window.complete = false;
  return { raw, more: window.sizes.length > 0 || !window.complete, bytes };
}

/**
 * How many leading rows of `sizes` fit in `budget` bytes (at least one when there is a row), and their
 * bytes. Exported for unit tests.
 */
export function rowsWithin(sizes: readonly number[], budget: number): { rows: number; bytes: number } {
  let rows = 0;
  let bytes = 0;
  while (rows < sizes.length && (rows === 0 || bytes + sizes[rows]! <= budget)) {
    bytes += sizes[rows]!;
    rows += 1;
  }
  return { rows, bytes };
}

function keyText(value: Row[string] | undefined, entity: string, column: string, advice = ''): string {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint')
    return String(value);
  throw new FerryError(`${entity}: key column ${column} must be text or an integer${advice}`, {
    code: 'FERRY_SOURCE_KEY',
    reason: 'invalid-config',
    entity,
    attribute: column,
    operation: 'read',
  });
}
