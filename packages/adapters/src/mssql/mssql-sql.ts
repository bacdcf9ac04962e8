// Pure SQL building for the SQL Server source: the keyset page query with typed parameters, the
// isolation prefix, and counts. No driver here, so every statement is unit-tested as text.

import type { SourceColumn } from '../knex/knex-column.js';
import { textCastExpression } from '../knex/knex-dialect.js';

/** Parameter types the source binds; mapped to `mssql` types at the edge. */
export type MssqlParamType = 'int' | 'bigint' | 'nvarchar' | 'decimal';

/** One typed parameter. */
export interface MssqlParam {
  readonly name: string;
  readonly type: MssqlParamType;
  readonly value: string | number;
}

/** A statement with its parameters. */
export interface MssqlStatement {
  readonly sql: string;
  readonly params: readonly MssqlParam[];
}

/**
 * How pages are isolated. `read-committed` is the server default (row-versioned when the database has
 * READ_COMMITTED_SNAPSHOT on); `snapshot` reads each page from a consistent snapshot without locks
 * (needs ALLOW_SNAPSHOT_ISOLATION ON); `read-uncommitted` takes no locks and may see uncommitted rows.
 */
export type MssqlIsolation = 'read-committed' | 'snapshot' | 'read-uncommitted';

/** The table and columns of a page query. */
export interface MssqlTable {
  readonly schema?: string | undefined;
  readonly table: string;
  readonly columns: readonly SourceColumn[];
  readonly key: readonly SourceColumn[];
}

/** `[name]`, with `]` doubled (names are validated before they get here). */
export const quote = (name: string): string => `[${name.replaceAll(']', ']]')}]`;

const tableName = (t: MssqlTable): string =>
  t.schema === undefined ? quote(t.table) : `${quote(t.schema)}.${quote(t.table)}`;

function paramType(column: SourceColumn): MssqlParamType {
  if (column.kind === 'integer') return 'int';
  if (column.kind === 'bigint') return 'bigint';
  if (column.kind === 'decimal') return 'decimal';
  return 'nvarchar';
}

function selectItem(column: SourceColumn): string {
  const cast = column.kind === undefined ? undefined : textCastExpression('mssql', column.kind);
  return cast === undefined
    ? quote(column.name)
    : `${cast.replace('??', quote(column.name))} AS ${quote(column.name)}`;
}

/** `(k1 > @k0 OR (k1 = @k0 AND k2 > @k1))` with one typed parameter per key column. */
export function keysetCondition(t: MssqlTable, last: readonly string[]): MssqlStatement {
  const params = t.key.map((column, i): MssqlParam => {
    const type = paramType(column);
    // int keys fit a JS number; bigint keys stay strings (sql.BigInt accepts them beyond 2^53).
    return { name: `k${i}`, type, value: type === 'int' ? Number(last[i]) : last[i]! };
  });
  const terms = t.key.map((_, i) => {
    const parts = t.key.slice(0, i + 1).map((c, j) => `${quote(c.name)} ${j === i ? '>' : '='} @k${j}`);
    return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
  });
  return { sql: terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`, params };
}

const ISOLATION_SQL: Record<MssqlIsolation, string> = {
  'read-committed': 'READ COMMITTED',
  snapshot: 'SNAPSHOT',
  'read-uncommitted': 'READ UNCOMMITTED',
};

/**
 * One page: `SELECT TOP (@n) ... WHERE key > @last ORDER BY key`. A non-default isolation level is
 * set for the batch and reset to READ COMMITTED after it, so the pooled connection goes back clean.
 */
export function pageStatement(
  t: MssqlTable,
  last: readonly string[] | undefined,
  size: number,
  isolation: MssqlIsolation = 'read-committed',
): MssqlStatement {
  const where = last === undefined ? undefined : keysetCondition(t, last);
  const select =
    `SELECT TOP (@n) ${t.columns.map(selectItem).join(', ')} FROM ${tableName(t)}` +
    (where === undefined ? '' : ` WHERE ${where.sql}`) +
    // Table-qualified: SQL Server resolves a bare ORDER BY name to the select-list alias first, and a
    // BIGINT key is selected as text (CAST ... AS [ID]), which would sort 1, 10, 2 and skip rows.
    ` ORDER BY ${t.key.map((k) => `${tableName(t)}.${quote(k.name)}`).join(', ')};`;
  const sql =
    isolation === 'read-committed'
      ? select
      : `SET TRANSACTION ISOLATION LEVEL ${ISOLATION_SQL[isolation]}; ${select} SET TRANSACTION ISOLATION LEVEL READ COMMITTED;`;
  return { sql, params: [{ name: 'n', type: 'int', value: size }, ...(where?.params ?? [])] };
}

/** Exact count after `last` (or of the whole table). */
export function countStatement(t: MssqlTable, last: readonly string[] | undefined): MssqlStatement {
  const where = last === undefined ? undefined : keysetCondition(t, last);
  return {
    sql: `SELECT COUNT_BIG(*) AS n FROM ${tableName(t)}${where === undefined ? '' : ` WHERE ${where.sql}`};`,
    params: where?.params ?? [],
  };
}

/** Row-count estimate from sys.partitions (heap or clustered index), free on any table size. */
export function estimateStatement(t: MssqlTable): MssqlStatement {
  return {
    sql: 'SELECT SUM(p.rows) AS n FROM sys.partitions p WHERE p.object_id = OBJECT_ID(@t) AND p.index_id IN (0, 1);',
    params: [{ name: 't', type: 'nvarchar', value: tableName(t) }],
  };
}
