// A keyset source over one SQL Server table with `mssql`: each batch is one typed statement
// `SELECT TOP (@n) ... WHERE key > @last ORDER BY key`, so no connection is held between batches and
// a resumed read continues strictly after the last key. Exact kinds are converted to text in SQL.

import type { Batch, ReadOptions, Row, Source } from '@ferry/core';
import sql from 'mssql';
import { normalizeColumnValue } from '../knex/column-value.js';
import { keyedSourceColumns, keyPosition, parseKeyAfter, readKeysetPages } from '../shared/keyset-read.js';
import type { KeyedTableOptions } from '../shared/keyset-read.js';
import { readAbortedError } from '../shared/read-errors.js';
import type { MssqlPoolLike } from './mssql-driver.js';
import { toMssqlFerryError } from './mssql-error-classifier.js';
import { countStatement, estimateStatement, pageStatement } from './mssql-sql.js';
import type { MssqlIsolation, MssqlParamType, MssqlStatement, MssqlTable } from './mssql-sql.js';

/** Options of {@link mssqlSource}: the table options of every keyset source, plus the pool. */
export interface MssqlSourceOptions extends KeyedTableOptions {
  /** A connected pool the caller owns (e.g. `new sql.ConnectionPool(mssqlConfig(url)).connect()`). */
  readonly pool: MssqlPoolLike;
  /** Page isolation; default `read-committed`. See the README for the trade-off. */
  readonly isolation?: MssqlIsolation | undefined;
  /** Must match the pool's `options.useUTC` (mssql default true); used only for columns without a kind. */
  readonly useUTC?: boolean | undefined;
}

const TYPES: Record<MssqlParamType, unknown> = {
  int: sql.Int,
  bigint: sql.BigInt,
  nvarchar: sql.NVarChar(sql.MAX),
  decimal: sql.Decimal(38, 8),
};

class MssqlSource implements Source<Row> {
  readonly name: string;
  readonly #options: MssqlSourceOptions;
  readonly #table: MssqlTable;

  constructor(options: MssqlSourceOptions) {
    this.#options = options;
    this.name = options.name ?? options.table;
    const { columns, key } = keyedSourceColumns(this.name, options);
    this.#table = { schema: options.schema, table: options.table, columns, key };
  }

  read(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    return readKeysetPages(
      {
        name: this.name,
        key: this.#table.key,
        batchSize: this.#options.batchSize,
        page: (last, size, signal) =>
          this.#run(pageStatement(this.#table, last, size, this.#options.isolation), 'read', last, signal),
        normalize: (record) => this.#normalize(record),
      },
      options,
    );
  }

  async count(options: Pick<ReadOptions, 'after' | 'signal'>): Promise<number | undefined> {
    const mode = this.#options.count ?? 'estimate';
    if (mode === 'none') return undefined;
    const last = parseKeyAfter(options.after, this.#table.key.length, this.name);
    if (mode === 'estimate' && last === undefined) {
      const [row] = await this.#run(estimateStatement(this.#table), 'count', undefined, options.signal);
      if (row?.n !== null && row?.n !== undefined) return Number(row.n);
    }
    const [row] = await this.#run(countStatement(this.#table, last), 'count', last, options.signal);
    return Number(row?.n ?? 0);
  }

  async #run(
    statement: MssqlStatement,
    operation: string,
    last: readonly string[] | undefined,
    signal: AbortSignal | undefined,
  ): Promise<readonly Record<string, unknown>[]> {
    const request = this.#options.pool.request();
    for (const p of statement.params) request.input(p.name, TYPES[p.type], p.value);
    const cancel = (): void => void request.cancel?.();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return (await request.query(statement.sql)).recordset ?? [];
    } catch (error) {
      if (signal?.aborted === true) throw readAbortedError(this.name, keyPosition(last));
      throw toMssqlFerryError(error, { entity: this.name, operation, position: keyPosition(last) });
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  #normalize(record: Record<string, unknown>): Row {
    const clock = this.#options.useUTC === false ? 'local' : 'utc';
    const row: Record<string, Row[string]> = {};
    for (const column of this.#table.columns) {
      row[column.name] = normalizeColumnValue(record[column.name], column.kind, clock);
    }
    return row;
  }
}

/**
 * A {@link Source} over one SQL Server table, read in key order by keyset pages and resumable from a
 * `{ key: string[] }` position. Bigint keys bind as `sql.BigInt` strings, so keys beyond 2^53 stay exact.
 *
 * @example
 * ```ts
 * const pool = await new sql.ConnectionPool(mssqlConfig(process.env.MSSQL_URL!)).connect();
 * const source = mssqlSource({ pool, table: 'OSUSR_S2M_ORDER', key: ['ID'], columns: o11SourceColumns(order) });
 * ```
 */
export function mssqlSource(options: MssqlSourceOptions): Source<Row> {
  return new MssqlSource(options);
}
