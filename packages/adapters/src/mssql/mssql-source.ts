// A keyset source over one SQL Server table with `mssql`: each batch is one typed statement
// `SELECT TOP (@n) ... WHERE key > @last ORDER BY key`, keys bound with their columns' own types (read
// once from sys.columns). `isolation: 'snapshot'` reads the whole table in one SNAPSHOT transaction.
// Pages of tables with large columns are measured first, so a page stops at `batchBytes`.

import type { Batch, ReadOptions, Row, Source } from '@ferry/core';
import sql from 'mssql';
import { normalizeColumnValue } from '../knex/column-value.js';
import { validateIdentifier } from '../knex/knex-identifier.js';
import { keyedSourceColumns, keyPosition, parseKeyAfter, readKeysetPages } from '../shared/keyset-read.js';
import type { KeyedTableOptions } from '../shared/keyset-read.js';
import { readAbortedError } from '../shared/read-errors.js';
import { parseColumnTypes } from './mssql-column-type.js';
import type { MssqlColumnTypes, MssqlParam } from './mssql-column-type.js';
import type { MssqlPoolLike, MssqlRequestLike } from './mssql-driver.js';
import { toMssqlFerryError } from './mssql-error-classifier.js';
import {
  columnTypesStatement,
  countStatement,
  estimateStatement,
  pageStatement,
  sizesStatement,
} from './mssql-sql.js';
import type { MssqlIsolation, MssqlStatement, MssqlTable } from './mssql-sql.js';

/** Options of {@link mssqlSource}: the table options of every keyset source, plus the pool. */
export interface MssqlSourceOptions extends KeyedTableOptions {
  /** A connected pool the caller owns (e.g. `new sql.ConnectionPool(mssqlConfig(url)).connect()`). */
  readonly pool: MssqlPoolLike;
  /** Another database on the same server (a module in a second O11 database catalog). */
  readonly database?: string | undefined;
  /** Read isolation; default `read-committed`. See {@link MssqlIsolation} and the README. */
  readonly isolation?: MssqlIsolation | undefined;
  /** Must match the pool's `options.useUTC` (mssql default true); used only for columns without a kind. */
  readonly useUTC?: boolean | undefined;
}

/** The `mssql` type of a parameter, with its length where the type has one. */
export function mssqlParamType(p: MssqlParam): unknown {
  const length = p.length === 'max' ? sql.MAX : (p.length ?? 4000);
  switch (p.type) {
    case 'int':
      return sql.Int;
    case 'bigint':
      return sql.BigInt;
    case 'smallint':
      return sql.SmallInt;
    case 'tinyint':
      return sql.TinyInt;
    case 'uniqueidentifier':
      return sql.UniqueIdentifier;
    case 'varchar':
      return sql.VarChar(length);
    case 'char':
      return sql.Char(length);
    case 'nchar':
      return sql.NChar(length);
    case 'nvarchar':
      return sql.NVarChar(length);
  }
}

const SNAPSHOT = 5; // sql.ISOLATION_LEVEL.SNAPSHOT

type RequestFactory = () => MssqlRequestLike;

class MssqlSource implements Source<Row> {
  readonly name: string;
  readonly #options: MssqlSourceOptions;
  readonly #table: MssqlTable;
  #types: Promise<MssqlColumnTypes> | undefined;

  constructor(options: MssqlSourceOptions) {
    this.#options = options;
    this.name = options.name ?? options.table;
    const { columns, key } = keyedSourceColumns(this.name, options);
    if (options.database !== undefined) validateIdentifier(options.database, 'database');
    this.#table = { database: options.database, schema: options.schema, table: options.table, columns, key };
  }

  read(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    if (this.#options.isolation === 'snapshot') return this.#readInSnapshot(options);
    return this.#readPages(options, () => this.#options.pool.request());
  }

  async *#readInSnapshot(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    const make = this.#options.pool.transaction?.bind(this.#options.pool);
    if (make === undefined) throw new TypeError(`${this.name}: isolation snapshot needs pool.transaction()`);
    const transaction = make();
    await transaction.begin(SNAPSHOT);
    let done = false;
    try {
      // One request at a time on the transaction's connection: the page read ahead starts only after
      // the previous page has arrived, which is what readKeysetPages does.
      yield* this.#readPages(options, () => transaction.request());
      done = true;
    } finally {
      // A read transaction changes nothing: commit when complete, roll back when stopped or failed.
      await (done ? transaction.commit() : transaction.rollback()).catch(() => undefined);
    }
  }

  #readPages(options: ReadOptions, request: RequestFactory): AsyncGenerator<Batch<Row>> {
    return readKeysetPages(
      {
        name: this.name,
        key: this.#table.key,
        batchSize: this.#options.batchSize,
        page: async (last, size, signal) => {
          const table = await this.#typed(signal);
          const statement = pageStatement(table, last, size, this.#options.isolation);
          return this.#run(statement, 'read', last, signal, request);
        },
        // Tedious gathers each varbinary(max)/image value into one Buffer and mssql a whole page
        // before answering: pages of tables with large columns are measured first (DATALENGTH).
        sizes: async (last, size, signal) => {
          const statement = sizesStatement(await this.#typed(signal), last, size, this.#options.isolation);
          if (statement === undefined) return undefined;
          const rows = await this.#run(statement, 'read', last, signal, request);
          return rows.map((row) => Number(row.ferry_bytes));
        },
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
      // No VIEW DATABASE STATE: the estimate fails, and the exact count below answers instead.
      const rows = await this.#run(estimateStatement(this.#table), 'count', undefined, options.signal).catch(
        () => [],
      );
      const n = rows[0]?.n;
      if (n !== null && n !== undefined) return Number(n);
    }
    const table = await this.#typed(options.signal);
    const [row] = await this.#run(countStatement(table, last), 'count', last, options.signal);
    return Number(row?.n ?? 0);
  }

  /** The table with its column types, read once. */
  async #typed(signal: AbortSignal | undefined): Promise<MssqlTable> {
    this.#types ??= this.#run(columnTypesStatement(this.#table), 'read', undefined, signal).then(
      parseColumnTypes,
    );
    this.#types.catch(() => (this.#types = undefined));
    return { ...this.#table, types: await this.#types };
  }

  async #run(
    statement: MssqlStatement,
    operation: string,
    last: readonly string[] | undefined,
    signal: AbortSignal | undefined,
    make: RequestFactory = () => this.#options.pool.request(),
  ): Promise<readonly Record<string, unknown>[]> {
    const request = make();
    for (const p of statement.params) request.input(p.name, mssqlParamType(p), p.value);
    // Aborting cancels the running statement (a TDS attention): no waiting for the page to finish.
    const cancel = (): void => void request.cancel?.();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (signal?.aborted === true) throw readAbortedError(this.name, keyPosition(last));
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
 * `{ key: string[] }` position. Key values bind with their columns' own types (bigint as a string,
 * so keys beyond 2^53 stay exact; decimals cast from text on the server; varchar as varchar).
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
