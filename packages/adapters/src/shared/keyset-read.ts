// The keyset read shared by the SQL sources (knex and SQL Server): resolve the key columns, then
// fetch pages strictly after the last key until a short page, checking the abort signal between pages.
// Each source supplies only its page query and its value normalisation. One page is read ahead.

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
  let ahead: Promise<readonly Raw[]> | undefined;
  try {
    for (;;) {
      if (options.signal?.aborted === true) throw readAbortedError(pager.name, keyPosition(last));
      const raw = await (ahead ?? pager.page(last, size, options.signal));
      ahead = undefined;
      if (raw.length === 0) return;
      const rows = raw.map((record) => pager.normalize(record));
      const lastRow = rows[rows.length - 1]!;
      last = pager.key.map((key) => keyText(lastRow[key.name], pager.name, key.name, pager.keyAdvice));
      // Read ahead one page: the database answers it while the consumer maps and writes this one.
      if (raw.length === size) {
        ahead = pager.page(last, size, options.signal);
        ahead.catch(noop);
      }
      yield { rows, position: { key: last }, rowsRead: rows.length };
      if (raw.length < size) return;
    }
  } finally {
    // A consumer that stops (break, abort, error) gets the connection back: the page read ahead is
    // waited for and dropped.
    if (ahead !== undefined) await ahead.catch(noop);
  }
}

const noop = (): void => undefined;

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
