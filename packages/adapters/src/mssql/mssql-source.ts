// A keyset source over one SQL Server table with `mssql`: each batch is one typed statement
// `SELECT TOP (@n) ... WHERE key > @last ORDER BY key`, so no connection is held between batches and
// a resumed read continues strictly after the last key. Exact kinds are converted to text in SQL.

import { FerryError, isKeyPosition } from '@ferry/core';
import type { Batch, Position, ReadOptions, Row, Source } from '@ferry/core';
import sql from 'mssql';
import { normalizeColumnValue } from '../knex/column-value.js';
import { toSourceColumns } from '../knex/knex-column.js';
import type { SourceColumn } from '../knex/knex-column.js';
import { validateIdentifier } from '../knex/knex-identifier.js';
import type { MssqlPoolLike } from './mssql-driver.js';
import { toMssqlFerryError } from './mssql-error-classifier.js';
import { countStatement, estimateStatement, pageStatement } from './mssql-sql.js';
import type { MssqlIsolation, MssqlParamType, MssqlStatement, MssqlTable } from './mssql-sql.js';

/** Options of {@link mssqlSource}. */
export interface MssqlSourceOptions {
  /** A connected pool the caller owns (e.g. `new sql.ConnectionPool(mssqlConfig(url)).connect()`). */
  readonly pool: MssqlPoolLike;
  readonly table: string;
  /** Default: the login's default schema (usually `dbo`). */
  readonly schema?: string | undefined;
  readonly key: readonly string[];
  /** Names, or `{ name, kind }` for exact reads (see `o11SourceColumns`). */
  readonly columns: readonly (string | SourceColumn)[];
  readonly batchSize?: number | undefined;
  readonly name?: string | undefined;
  /** Page isolation; default `read-committed`. See the README for the trade-off. */
  readonly isolation?: MssqlIsolation | undefined;
  /** Must match the pool's `options.useUTC` (mssql default true); used only for columns without a kind. */
  readonly useUTC?: boolean | undefined;
  /** `estimate` (default) reads sys.partitions for a full read; `exact` counts; `none` skips. */
  readonly count?: 'estimate' | 'exact' | 'none' | undefined;
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
    validateIdentifier(options.table, 'table');
    if (options.schema !== undefined) validateIdentifier(options.schema, 'schema');
    if (options.key.length === 0) throw configError(`${this.name}: at least one key column is required`);
    const columns = toSourceColumns(options.columns);
    for (const key of options.key) if (!columns.some((c) => c.name === key)) columns.push({ name: key });
    for (const column of columns) validateIdentifier(column.name, 'column');
    const key = options.key.map((name) => columns.find((c) => c.name === name)!);
    this.#table = { schema: options.schema, table: options.table, columns, key };
  }

  async *read(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    const size = this.#options.batchSize ?? options.batchSize;
    if (!Number.isInteger(size) || size < 1)
      throw configError(`${this.name}: batch size must be a positive integer`);
    let last = this.#parseAfter(options.after);
    for (;;) {
      if (options.signal?.aborted === true) throw abortedError(this.name, last);
      const statement = pageStatement(this.#table, last, size, this.#options.isolation);
      const raw = await this.#run(statement, 'read', last, options.signal);
      if (raw.length === 0) return;
      const rows = raw.map((record) => this.#normalize(record));
      last = this.#table.key.map((k) => keyText(rows[rows.length - 1]![k.name], this.name, k.name));
      yield { rows, position: { key: last }, rowsRead: rows.length };
      if (raw.length < size) return;
    }
  }

  async count(options: Pick<ReadOptions, 'after' | 'signal'>): Promise<number | undefined> {
    const mode = this.#options.count ?? 'estimate';
    if (mode === 'none') return undefined;
    const last = this.#parseAfter(options.after);
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
      if (signal?.aborted === true) throw abortedError(this.name, last);
      throw toMssqlFerryError(error, {
        entity: this.name,
        operation,
        position: last === undefined ? null : { key: [...last] },
      });
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

  #parseAfter(after: Position | undefined): readonly string[] | undefined {
    if (after === undefined || after === null) return undefined;
    if (isKeyPosition(after) && after.key.length === this.#table.key.length) return after.key;
    throw configError(`${this.name}: position is not a key position of ${this.#table.key.length} part(s)`);
  }
}

function keyText(value: Row[string] | undefined, entity: string, column: string): string {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint')
    return String(value);
  throw new FerryError(`${entity}: key column ${column} must be text or an integer`, {
    code: 'FERRY_SOURCE_KEY',
    reason: 'invalid-config',
    entity,
    attribute: column,
    operation: 'read',
  });
}

function configError(message: string): FerryError {
  return new FerryError(message, {
    code: 'FERRY_SOURCE_CONFIG',
    reason: 'invalid-config',
    operation: 'read',
  });
}

function abortedError(entity: string, last: readonly string[] | undefined): FerryError {
  const position = last === undefined ? null : { key: [...last] };
  return new FerryError(`reading ${entity} was aborted`, {
    code: 'FERRY_ABORTED',
    reason: 'aborted',
    entity,
    operation: 'read',
    position,
  });
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
