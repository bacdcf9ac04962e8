// A keyset source over any knex database: each batch is one query
// `WHERE key > last ORDER BY key LIMIT n`, so no cursor or connection is held between batches and a
// resumed read continues exactly after the last key. Values are normalised per column kind. A table
// with Binary Data columns has its pages measured first, so a page stops at the byte budget.

import { FerryError } from '@ferry/core';
import type { Batch, ReadOptions, Row, Source } from '@ferry/core';
import type { Knex } from 'knex';
import { keyedSourceColumns, keyPosition, parseKeyAfter, readKeysetPages } from '../shared/keyset-read.js';
import type { KeyedTableOptions } from '../shared/keyset-read.js';
import { columnNormalizer } from './column-value.js';
import type { ColumnNormalizer } from './column-value.js';
import { compileRowNormalizer, type RowNormalizer } from './row-normalize.js';
import type { SourceColumn } from './knex-column.js';
import { byteLengthExpression, knexDialect, keyPlaceholder } from './knex-dialect.js';
import type { KnexDialect } from './knex-dialect.js';
import { bothFragments, keysetAfter, keysetUpTo } from './knex-keyset.js';
import type { RawFragment } from './knex-keyset.js';
import { toKnexFerryError } from './knex-error-classifier.js';
import { countRows, selectList } from './knex-query.js';
import { readSliced, setValue, SLICED_ABOVE_BYTES, slicedColumn, slicesValues } from './knex-large-values.js';

/** Options of {@link knexSource}: the table options of every keyset source, plus the knex instance. */
export interface KnexSourceOptions extends KeyedTableOptions {
  /** A knex instance the caller owns (and destroys). */
  readonly knex: Knex;
  /**
   * An extra condition ANDed to every page and count (`??` identifiers, `?` values), e.g. the keys
   * `ferry sync` reads (`keyListFragment`). Rows outside it are never read.
   */
  readonly where?: RawFragment | undefined;
}

class KnexSource implements Source<Row> {
  readonly name: string;
  readonly #options: KnexSourceOptions;
  readonly #dialect: KnexDialect;
  readonly #columns: readonly SourceColumn[];
  readonly #key: readonly SourceColumn[];
  /** One normaliser per column, in `#columns` order. */
  readonly #normalizers: readonly ColumnNormalizer[];
  /** The normalisers compiled into one function per record form (array, object). */
  readonly #fromArray: RowNormalizer;
  readonly #fromObject: RowNormalizer;
  /** Driver options that make it answer rows as arrays in select-list order (none: objects). */
  readonly #arrayOptions: Readonly<Record<string, unknown>> | undefined;
  /** Binary Data columns whose large values are read in slices (`knex-large-values.ts`). */
  readonly #sliced: readonly SourceColumn[];

  constructor(options: KnexSourceOptions) {
    this.#options = options;
    this.name = options.name ?? options.table;
    this.#dialect = knexDialect(options.knex);
    const { columns, key } = keyedSourceColumns(this.name, options);
    this.#columns = columns;
    this.#key = key;
    this.#normalizers = columns.map((column) => columnNormalizer(column.kind, 'local'));
    const names = columns.map((column) => column.name);
    this.#fromArray = compileRowNormalizer(names, this.#normalizers, true);
    this.#fromObject = compileRowNormalizer(names, this.#normalizers, false);
    this.#arrayOptions = arrayRowOptions(options.knex, this.#dialect);
    this.#sliced = slicesValues(this.#dialect) ? columns.filter((column) => column.kind === 'binary') : [];
  }

  read(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    return readKeysetPages(
      {
        name: this.name,
        key: this.#key,
        batchSize: this.#options.batchSize,
        keyAdvice: ' (declare its kind)',
        page: (last, size) => this.#page(last, size),
        normalize: (record) => this.#normalize(record),
        sizes: this.#columns.some((column) => column.kind === 'binary')
          ? (last, size) => this.#sizes(last, size)
          : undefined,
        complete: this.#sliced.length === 0 ? undefined : (rows, raw) => this.#complete(rows, raw),
        start: this.#options.range?.after,
      },
      options,
    );
  }

  /** Reads in slices the large values the page query left out (NULL, with their lengths at the end). */
  async #complete(
    rows: Row[],
    raw: readonly (Record<string, unknown> | readonly unknown[])[],
  ): Promise<void> {
    const { knex, table, schema } = this.#options;
    const target = { knex, dialect: this.#dialect, table, schema, key: this.#key };
    for (let r = 0; r < rows.length; r++) {
      const record = raw[r]!;
      for (let j = 0; j < this.#sliced.length; j++) {
        const length = Number(
          Array.isArray(record)
            ? record[this.#columns.length + j]
            : (record as Record<string, unknown>)[`ferry_len_${j}`],
        );
        if (!(length > SLICED_ABOVE_BYTES)) continue;
        const row = rows[r]!;
        const key = this.#key.map((k) => String(row[k.name] as string | number | bigint));
        const name = this.#sliced[j]!.name;
        try {
          setValue(row, name, await readSliced(target, key, name, length));
        } catch (error) {
          throw toKnexFerryError(error, { entity: this.name, operation: 'read', position: { key } });
        }
      }
    }
  }

  async count(options: Pick<ReadOptions, 'after' | 'signal'>): Promise<number | undefined> {
    const mode = this.#options.count ?? 'estimate';
    if (mode === 'none') return undefined;
    const last = parseKeyAfter(options.after, this.#key.length, this.name) ?? this.#options.range?.after;
    try {
      return await countRows(this.#options, this.#dialect, mode, this.#where(last));
    } catch (error) {
      throw toKnexFerryError(error, { entity: this.name, operation: 'count' });
    }
  }

  async #page(
    last: readonly string[] | undefined,
    size: number,
  ): Promise<(Record<string, unknown> | readonly unknown[])[]> {
    const { knex } = this.#options;
    const list = selectList(knex, this.#dialect, this.#columns);
    this.#sliced.forEach((column, j) => {
      const sliced = slicedColumn(knex, this.#dialect, column.name, j);
      list[this.#columns.indexOf(column)] = sliced.value;
      list.push(sliced.length);
    });
    let query = this.#keyset(last, size).select(list);
    if (this.#arrayOptions !== undefined) query = query.options(this.#arrayOptions);
    try {
      return (await query) as (Record<string, unknown> | readonly unknown[])[];
    } catch (error) {
      throw toKnexFerryError(error, { entity: this.name, operation: 'read', position: keyPosition(last) });
    }
  }

  /** The summed byte sizes of the Binary Data columns of the next `size` rows, in key order. */
  async #sizes(last: readonly string[] | undefined, size: number): Promise<number[]> {
    const { knex } = this.#options;
    const binary = this.#columns.filter((column) => column.kind === 'binary');
    const expression = byteLengthExpression(this.#dialect);
    const sum = knex.raw(`${binary.map(() => expression).join(' + ')} AS ferry_bytes`, [
      ...binary.map((column) => column.name),
    ]);
    try {
      const rows: { ferry_bytes?: unknown }[] = await this.#keyset(last, size).select(sum);
      return rows.map((row) => Number(row.ferry_bytes));
    } catch (error) {
      throw toKnexFerryError(error, { entity: this.name, operation: 'read', position: keyPosition(last) });
    }
  }

  /** `FROM table WHERE key > last ORDER BY key LIMIT size`, without a select list. */
  #keyset(last: readonly string[] | undefined, size: number): Knex.QueryBuilder {
    const { knex, table, schema } = this.#options;
    let query = knex.queryBuilder().from(table);
    if (schema !== undefined) query = query.withSchema(schema);
    const where = this.#where(last);
    if (where !== undefined) query = query.whereRaw(where.sql, [...where.bindings]);
    // Qualified with the table: a bare name would sort by the select-list alias, which is the text
    // cast of a bigint/decimal/date key (MySQL, PostgreSQL and SQL Server all prefer the alias).
    for (const key of this.#key) query = query.orderBy(`${table}.${key.name}`, 'asc');
    return query.limit(size);
  }

  /** Keys after `last` and, in a partition, up to the range's upper bound. */
  #where(last: readonly string[] | undefined): RawFragment | undefined {
    const columns = this.#key.map((key) => ({
      name: key.name,
      placeholder: keyPlaceholder(this.#dialect, key.kind),
    }));
    const upTo = this.#options.range?.upTo;
    const bounds = bothFragments(
      last === undefined ? undefined : keysetAfter(columns, last),
      upTo === undefined ? undefined : keysetUpTo(columns, upTo),
    );
    return bothFragments(bounds, this.#options.where);
  }

  /**
   * The driver's record as a Ferry row: an array (select-list order, see {@link arrayRowOptions}) is
   * read by index, an object by column name. When a value is refused, the columns are normalised one
   * by one again to name the column.
   */
  #normalize(record: Record<string, unknown> | readonly unknown[]): Row {
    const byIndex = Array.isArray(record);
    let refused: unknown;
    try {
      return byIndex ? this.#fromArray(record) : this.#fromObject(record);
    } catch (error) {
      refused = error;
    }
    const columns = this.#columns;
    const normalizers = this.#normalizers;
    const values = record as Record<string | number, unknown>;
    let i = 0;
    try {
      for (; i < columns.length; i++) normalizers[i]!(values[byIndex ? i : columns[i]!.name]);
      throw refused;
    } catch (error) {
      const name = columns[i]?.name ?? '?';
      throw new FerryError(`${this.name}.${name}: ${(error as Error).message}; declare its kind`, {
        code: 'FERRY_SOURCE_VALUE',
        reason: 'invalid-config',
        cause: error,
        entity: this.name,
        attribute: name,
        operation: 'read',
      });
    }
  }
}

/**
 * The query options that make mysql2 (`rowsAsArray`) and pg (`rowMode: 'array'`) answer each row as an
 * array in select-list order: the driver then builds no object with named properties per row, only
 * for this source to copy it into a Ferry row. Other drivers ignore the options and answer objects,
 * which the source reads by name; a knex with `postProcessResponse` keeps objects, as it may expect them.
 */
function arrayRowOptions(knex: Knex, dialect: KnexDialect): Record<string, unknown> | undefined {
  const config = (knex.client as { config?: { postProcessResponse?: unknown; client?: unknown } }).config;
  if (config?.postProcessResponse !== undefined) return undefined;
  const driver = (knex.client as { driverName?: string }).driverName;
  if (dialect === 'mysql' && driver === 'mysql2') return { rowsAsArray: true };
  if (dialect === 'postgres' && driver === 'pg') return { rowMode: 'array' };
  return undefined;
}

/**
 * A {@link Source} over one table of any knex database, read in key order by keyset pagination and
 * resumable from a `{ key: string[] }` position. Breaking out of the loop or aborting leaves no
 * connection held: each batch is a single pooled query.
 *
 * @example
 * ```ts
 * const source = knexSource({
 *   knex: db, table: 'OSUSR_S2M_ORDER', key: ['ID'],
 *   columns: [{ name: 'ID', kind: 'bigint' }, 'CUSTOMERNAME', { name: 'TOTAL', kind: 'decimal' }],
 * });
 * for await (const batch of source.read({ batchSize: 1000 })) console.log(batch.position);
 * ```
 */
export function knexSource(options: KnexSourceOptions): Source<Row> {
  return new KnexSource(options);
}
