// The SQL Server types of a table's columns (read once from sys.columns), and what they decide: the
// parameter a key value binds as (the column's own type, length, precision and scale, so ORDER BY
// and the `>` predicate compare alike and the planner can seek), and the lossless text of money/float.

/** A column's declared type, as sys.columns and sys.types describe it. */
export interface MssqlColumnType {
  /** The system type name, lower case: `int`, `bigint`, `varchar`, `nvarchar`, `decimal`, `money`... */
  readonly type: string;
  /** Length in characters for char types (-1 for `max`); bytes otherwise. */
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
}

/** Parameter types the source binds; mapped to `mssql` types at the edge. */
export type MssqlParamType =
  'int' | 'bigint' | 'smallint' | 'tinyint' | 'varchar' | 'nvarchar' | 'char' | 'nchar' | 'uniqueidentifier';

/** One typed parameter; `length` is in characters (`max` for the max types). */
export interface MssqlParam {
  readonly name: string;
  readonly type: MssqlParamType;
  readonly value: string | number;
  readonly length?: number | 'max' | undefined;
}

/** The column types of a table, by column name. */
export type MssqlColumnTypes = ReadonlyMap<string, MssqlColumnType>;

/**
 * One row per column of the table: its system type (user types resolved to their base), its length
 * in characters (nchar/nvarchar store two bytes each), precision and scale.
 */
export const COLUMN_TYPES_SQL =
  'SELECT c.name AS name, t.name AS type, ' +
  "CASE WHEN c.max_length > 0 AND t.name IN ('nchar', 'nvarchar') THEN c.max_length / 2 ELSE c.max_length END AS length, " +
  'c.precision AS precision, c.scale AS scale ' +
  'FROM sys.columns c JOIN sys.types t ON t.user_type_id = c.system_type_id ' +
  'WHERE c.object_id = OBJECT_ID(@t);';

/** The rows of {@link COLUMN_TYPES_SQL} as a map. */
export function parseColumnTypes(rows: readonly Record<string, unknown>[]): MssqlColumnTypes {
  const types = new Map<string, MssqlColumnType>();
  for (const row of rows) {
    types.set(String(row.name), {
      type: String(row.type).toLowerCase(),
      length: Number(row.length),
      precision: Number(row.precision),
      scale: Number(row.scale),
    });
  }
  return types;
}

const CHAR_TYPES = new Set(['varchar', 'nvarchar', 'char', 'nchar']);
const INT_TYPES = new Set(['int', 'smallint', 'tinyint']);

/** The value placeholder of a key: `@k0`, or `CAST(@k0 AS decimal(p,s))` for exact numerics. */
export function keyPlaceholderFor(name: string, type: MssqlColumnType | undefined): string {
  if (type !== undefined && (type.type === 'decimal' || type.type === 'numeric')) {
    // tedious writes decimal parameters through a JS float: above ~9e7 with 8 decimals the bound is
    // inexact. Text cast on the server is exact.
    return `CAST(@${name} AS decimal(${type.precision},${type.scale}))`;
  }
  return `@${name}`;
}

/**
 * The parameter of one key value bound with the column's own type; `kind` (Ferry's column kind)
 * decides when the type is unknown (a view, a synonym): integers as bigint, text as nvarchar(4000).
 */
export function keyParam(
  name: string,
  type: MssqlColumnType | undefined,
  kind: string | undefined,
  value: string,
): MssqlParam {
  if (type !== undefined) {
    if (INT_TYPES.has(type.type)) return { name, type: type.type as MssqlParamType, value: Number(value) };
    if (type.type === 'bigint') return { name, type: 'bigint', value };
    if (type.type === 'uniqueidentifier') return { name, type: 'uniqueidentifier', value };
    if (CHAR_TYPES.has(type.type)) {
      return {
        name,
        type: type.type as MssqlParamType,
        value,
        length: type.length < 0 ? 'max' : type.length,
      };
    }
    if (type.type === 'decimal' || type.type === 'numeric')
      return { name, type: 'varchar', value, length: 64 };
  }
  if (kind === 'integer') return { name, type: 'int', value: Number(value) };
  if (kind === 'bigint') return { name, type: 'bigint', value };
  if (kind === 'decimal') return { name, type: 'varchar', value, length: 64 };
  return { name, type: 'nvarchar', value, length: 4000 };
}

/**
 * The text form of a column read exactly, when its type needs a style: money keeps its 4 decimals
 * (style 2; the default style rounds to 2), float and real keep 17 and 9 digits (style 3, lossless
 * on SQL Server 2016 and later; the default keeps 6). `??` stands for the column.
 */
export function exactTextCast(type: MssqlColumnType | undefined): string | undefined {
  if (type === undefined) return undefined;
  if (type.type === 'money' || type.type === 'smallmoney') return 'CONVERT(varchar(64), ??, 2)';
  if (type.type === 'float' || type.type === 'real') return 'CONVERT(varchar(64), ??, 3)';
  return undefined;
}
