// Pure SQL building for the SQL Server source: the keyset page query with parameters typed like the
// key columns, exact-text casts, counts and the row estimate. No driver here, so every statement is
// unit-tested as text. The table is aliased `[src]`: no deprecated three-part names in ORDER BY.

import type { SourceColumn } from '../knex/knex-column.js';
import { textCastExpression } from '../knex/knex-dialect.js';
import { COLUMN_TYPES_SQL, exactTextCast, keyParam, keyPlaceholderFor } from './mssql-column-type.js';
import type { MssqlColumnTypes, MssqlParam } from './mssql-column-type.js';

export type { MssqlParam, MssqlParamType } from './mssql-column-type.js';

/** A statement with its parameters. */
export interface MssqlStatement {
  readonly sql: string;
  readonly params: readonly MssqlParam[];
}

/**
 * How a read is isolated. `read-committed` (default): each page is its own statement, read under the
 * database's READ COMMITTED (row versions when READ_COMMITTED_SNAPSHOT is on), so rows committed
 * while the read runs may be missed or seen. `snapshot`: the whole read of a table runs in one
 * SNAPSHOT transaction and sees the table as of its first page (needs ALLOW_SNAPSHOT_ISOLATION ON).
 * `read-uncommitted` takes no locks and may see uncommitted rows.
 */
export type MssqlIsolation = 'read-committed' | 'snapshot' | 'read-uncommitted';

/** The table and columns of a page query, with the columns' SQL Server types when known. */
export interface MssqlTable {
  /** Another database on the same server (a module in a second O11 database catalog). */
  readonly database?: string | undefined;
  readonly schema?: string | undefined;
  readonly table: string;
  readonly columns: readonly SourceColumn[];
  readonly key: readonly SourceColumn[];
  readonly types?: MssqlColumnTypes | undefined;
}

/** `[name]`, with `]` doubled (names are validated before they get here). */
export const quote = (name: string): string => `[${name.replaceAll(']', ']]')}]`;

/** `[schema].[table]`, `[table]` in the connection's default schema, or `[database].[schema].[table]`. */
export const tableName = (t: MssqlTable): string => {
  if (t.database !== undefined) return `${quote(t.database)}.${quote(t.schema ?? 'dbo')}.${quote(t.table)}`;
  return t.schema === undefined ? quote(t.table) : `${quote(t.schema)}.${quote(t.table)}`;
};

const ALIAS = '[src]';

function selectItem(t: MssqlTable, column: SourceColumn): string {
  const own = `${ALIAS}.${quote(column.name)}`;
  if (column.kind === undefined) return own;
  const cast =
    column.kind === 'decimal' || column.kind === 'bigint'
      ? (exactTextCast(t.types?.get(column.name)) ?? textCastExpression('mssql', column.kind))
      : textCastExpression('mssql', column.kind);
  return cast === undefined ? own : `${cast.replace('??', own)} AS ${quote(column.name)}`;
}

/**
 * `k1 >= @k0 AND (k1 > @k0 OR (k1 = @k0 AND k2 > @k1))` with one parameter per key column, bound
 * with the column's own type; the leading `>=` gives the planner a range to seek on.
 */
export function keysetCondition(t: MssqlTable, last: readonly string[]): MssqlStatement {
  const names = t.key.map((_, i) => `k${i}`);
  const params = t.key.map((column, i) =>
    keyParam(names[i]!, t.types?.get(column.name), column.kind, last[i]!),
  );
  const value = (i: number): string => keyPlaceholderFor(names[i]!, t.types?.get(t.key[i]!.name));
  const col = (i: number): string => `${ALIAS}.${quote(t.key[i]!.name)}`;
  const terms = t.key.map((_, i) => {
    const parts = t.key.slice(0, i + 1).map((__, j) => `${col(j)} ${j === i ? '>' : '='} ${value(j)}`);
    return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
  });
  const sql = terms.length === 1 ? terms[0]! : `${col(0)} >= ${value(0)} AND (${terms.join(' OR ')})`;
  return { sql, params };
}

/**
 * One page: `SELECT TOP (@n) ... FROM t AS [src] WHERE key > @last ORDER BY [src].key` (the select
 * list is the table's columns unless `list` is given). The ORDER BY
 * names the aliased column: a bare name would resolve to the select-list alias first, and a bigint
 * key is selected as text (CAST ... AS [ID]), which would sort 1, 10, 2 and skip rows.
 * `read-uncommitted` sets its level for the batch and resets it, so the pooled connection goes back
 * clean; `snapshot` is a transaction the source opens, not a statement prefix.
 */
export function pageStatement(
  t: MssqlTable,
  last: readonly string[] | undefined,
  size: number,
  isolation: MssqlIsolation = 'read-committed',
  list = t.columns.map((c) => selectItem(t, c)).join(', '),
): MssqlStatement {
  const where = last === undefined ? undefined : keysetCondition(t, last);
  const select =
    `SELECT TOP (@n) ${list} FROM ${tableName(t)} AS ${ALIAS}` +
    (where === undefined ? '' : ` WHERE ${where.sql}`) +
    ` ORDER BY ${t.key.map((k) => `${ALIAS}.${quote(k.name)}`).join(', ')};`;
  const sql =
    isolation === 'read-uncommitted'
      ? `SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; ${select} SET TRANSACTION ISOLATION LEVEL READ COMMITTED;`
      : select;
  return { sql, params: [{ name: 'n', type: 'int', value: size }, ...(where?.params ?? [])] };
}

/** Types whose values can be large (up to 2 GB): the page is measured before it is read. */
const LARGE_TYPES = new Set(['image', 'text', 'ntext', 'xml']);

/** The columns of a table whose values can be large: Binary Data, `(max)` types, image/text/ntext/xml. */
export function largeColumns(t: MssqlTable): SourceColumn[] {
  return t.columns.filter((column) => {
    const type = t.types?.get(column.name);
    return column.kind === 'binary' || type?.length === -1 || LARGE_TYPES.has(type?.type ?? '');
  });
}

/**
 * The byte sizes of the large columns of the next page, in key order: `SELECT TOP (@n)
 * DATALENGTH(a) + DATALENGTH(b) ... ORDER BY key`, which reads no value. `undefined` when the table
 * has no large column (its pages are bounded by rows alone).
 */
export function sizesStatement(
  t: MssqlTable,
  last: readonly string[] | undefined,
  size: number,
  isolation: MssqlIsolation = 'read-committed',
): MssqlStatement | undefined {
  const large = largeColumns(t);
  if (large.length === 0) return undefined;
  const sum = large
    .map((c) => `COALESCE(CAST(DATALENGTH(${ALIAS}.${quote(c.name)}) AS bigint), 0)`)
    .join(' + ');
  return pageStatement({ ...t, columns: [] }, last, size, isolation, `${sum} AS [ferry_bytes]`);
}

/** Exact count after `last` (or of the whole table). */
export function countStatement(t: MssqlTable, last: readonly string[] | undefined): MssqlStatement {
  const where = last === undefined ? undefined : keysetCondition(t, last);
  return {
    sql: `SELECT COUNT_BIG(*) AS n FROM ${tableName(t)} AS ${ALIAS}${where === undefined ? '' : ` WHERE ${where.sql}`};`,
    params: where?.params ?? [],
  };
}

/**
 * Row-count estimate from sys.dm_db_partition_stats (heap or clustered index, every partition),
 * returned as bigint text; free on any table size, unlike COUNT(*) on a live database. NULL when the
 * object is unknown, and VIEW DATABASE STATE is needed (the caller falls back to counting).
 */
export function estimateStatement(t: MssqlTable): MssqlStatement {
  const params: MssqlParam[] = [{ name: 't', type: 'nvarchar', value: tableName(t), length: 4000 }];
  if (t.database !== undefined) {
    // The DMV covers the current database only; another database's catalog views answer for it.
    return {
      sql:
        `SELECT CAST(SUM(p.rows) AS varchar(20)) AS n FROM ${quote(t.database)}.sys.partitions p ` +
        'WHERE p.object_id = OBJECT_ID(@t) AND p.index_id IN (0, 1);',
      params,
    };
  }
  return {
    sql:
      'SELECT CAST(SUM(s.row_count) AS varchar(20)) AS n FROM sys.dm_db_partition_stats s ' +
      'WHERE s.object_id = OBJECT_ID(@t) AND s.index_id IN (0, 1);',
    params,
  };
}

/** The statement reading the column types of a table (parsed by `parseColumnTypes`). */
export function columnTypesStatement(t: MssqlTable): MssqlStatement {
  // Another database's columns are in that database's catalog views.
  const db = t.database === undefined ? '' : `${quote(t.database)}.`;
  return {
    sql: COLUMN_TYPES_SQL.replaceAll('FROM sys.', `FROM ${db}sys.`).replaceAll('JOIN sys.', `JOIN ${db}sys.`),
    params: [{ name: 't', type: 'nvarchar', value: tableName(t), length: 4000 }],
  };
}
