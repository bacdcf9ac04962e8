// Column descriptions shared by the SQL sources (knex and SQL Server). A column's kind tells the
// source how to read it exactly: 64-bit integers and decimals as strings, dates as naive strings.

/**
 * How a source reads a column.
 * - `bigint` and `decimal` are selected as text in SQL, so no driver ever turns them into a JS number.
 * - `date`, `time` and `datetime` are selected as text in source time (no time-zone shift) and
 *   normalised to `YYYY-MM-DD`, `HH:MM:SS[.fff]` and `YYYY-MM-DDTHH:MM:SS[.fff]`.
 * - `boolean` turns 0/1 (MariaDB, SQLite, SQL Server bit) into `true`/`false`.
 * - `binary` stays a `Buffer`; `integer` a number (32-bit); `text` a string.
 */
export type ColumnKind =
  'text' | 'integer' | 'bigint' | 'decimal' | 'boolean' | 'date' | 'time' | 'datetime' | 'binary';

/** A selected column. Without a `kind` the driver's value is passed on after light normalisation. */
export interface SourceColumn {
  readonly name: string;
  readonly kind?: ColumnKind | undefined;
}

/** Turns the `columns` option (names or descriptions) into descriptions. */
export function toSourceColumns(columns: readonly (string | SourceColumn)[]): SourceColumn[] {
  return columns.map((column) => (typeof column === 'string' ? { name: column } : column));
}

/** Kinds that are selected as text so their values stay exact whatever the driver does. */
export const TEXT_CAST_KINDS: ReadonlySet<ColumnKind> = new Set<ColumnKind>([
  'bigint',
  'decimal',
  'date',
  'time',
  'datetime',
]);
