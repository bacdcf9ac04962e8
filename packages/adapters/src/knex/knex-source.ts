// A keyset source over any knex database: each batch is one query
// `WHERE key > last ORDER BY key LIMIT n`, so no cursor or connection is held between batches and a
// resumed read continues exactly after the last key. Values are normalised per column kind.

import { FerryError } from '@ferry/core';
import type { Batch, ReadOptions, Row, Source } from '@ferry/core';
import type { Knex } from 'knex';
import { keyedSourceColumns, keyPosition, parseKeyAfter, readKeysetPages } from '../shared/keyset-read.js';
import type { KeyedTableOptions } from '../shared/keyset-read.js';
import { columnNormalizer } from './column-value.js';
import type { ColumnNormalizer } from './column-value.js';
import type { SourceColumn } from './knex-column.js';
import { knexDialect, keyPlaceholder } from './knex-dialect.js';
import type { KnexDialect } from './knex-dialect.js';
import { bothFragments, keysetAfter, keysetUpTo } from './knex-keyset.js';
import type { RawFragment } from './knex-keyset.js';
import { toKnexFerryError } from './knex-error-classifier.js';
import { countRows, selectList } from './knex-query.js';

/** Options of {@link knexSource}: the table options of every keyset source, plus the knex instance. */
export interface KnexSourceOptions extends KeyedTableOptions {
  /** A knex instance the caller owns (and destroys). */
  readonly knex: Knex;
}

class KnexSource implements Source<Row> {
  readonly name: string;
  readonly #options: KnexSourceOptions;
  readonly #dialect: KnexDialect;
  readonly #columns: readonly SourceColumn[];
  readonly #key: readonly SourceColumn[];
  /** One normaliser per column, in `#columns` order. */
  readonly #normalizers: readonly ColumnNormalizer[];

  constructor(options: KnexSourceOptions) {
    this.#options = options;
    this.name = options.name ?? options.table;
    this.#dialect = knexDialect(options.knex);
    const { columns, key } = keyedSourceColumns(this.name, options);
    this.#columns = columns;
    this.#key = key;
    this.#normalizers = columns.map((column) => columnNormalizer(column.kind, 'local'));
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
        start: this.#options.range?.after,
      },
      options,
    );
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

  async #page(last: readonly string[] | undefined, size: number): Promise<Record<string, unknown>[]> {
    const { knex, table, schema } = this.#options;
    let query = knex.queryBuilder().from(table);
    if (schema !== undefined) query = query.withSchema(schema);
    query = query.select(selectList(knex, this.#dialect, this.#columns));
    const where = this.#where(last);
    if (where !== undefined) query = query.whereRaw(where.sql, [...where.bindings]);
    // Qualified with the table: a bare name would sort by the select-list alias, which is the text
    // cast of a bigint/decimal/date key (MySQL, PostgreSQL and SQL Server all prefer the alias).
    for (const key of this.#key) query = query.orderBy(`${table}.${key.name}`, 'asc');
    try {
      return (await query.limit(size)) as Record<string, unknown>[];
    } catch (error) {
      throw toKnexFerryError(error, { entity: this.name, operation: 'read', position: keyPosition(last) });
    }
  }

  /** Keys after `last` and, in a partition, up to the range's upper bound. */
  #where(last: readonly string[] | undefined): RawFragment | undefined {
    const columns = this.#key.map((key) => ({
      name: key.name,
      placeholder: keyPlaceholder(this.#dialect, key.kind),
    }));
    const upTo = this.#options.range?.upTo;
    return bothFragments(
      last === undefined ? undefined : keysetAfter(columns, last),
      upTo === undefined ? undefined : keysetUpTo(columns, upTo),
    );
  }

  #normalize(record: Record<string, unknown>): Row {
    const row: Record<string, Row[string]> = {};
    const columns = this.#columns;
    const normalizers = this.#normalizers;
    let i = 0;
    try {
      for (; i < columns.length; i++) {
        const name = columns[i]!.name;
        row[name] = normalizers[i]!(record[name]);
      }
    } catch (error) {
      const name = columns[i]!.name;
      throw new FerryError(`${this.name}.${name}: ${(error as Error).message}; declare its kind`, {
        code: 'FERRY_SOURCE_VALUE',
        reason: 'invalid-config',
        cause: error,
        entity: this.name,
        attribute: name,
        operation: 'read',
      });
    }
    return row;
  }
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
