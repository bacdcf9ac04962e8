// The SQL pieces of a diff, per dialect: how to quote, concatenate and hash a row's canonical text
// (MD5, cut into two 32-bit integers that SUM exactly everywhere), and how keys compare in one order
// on every side: integers as integers, text by code point (binary collation, no trailing-space padding).

import type { KnexDialect } from '../knex/knex-dialect.js';

/** How one key column is written: as exact text, in the agreed order, and its bound value. */
export interface KeySql {
  /** How the key compares: as an integer or as text by code point. */
  readonly kind: KeyKind;
  /** The key as exact text (integers as decimal digits, text as is). */
  readonly text: string;
  /** The expression compared and ordered by (binary collation for text). */
  readonly order: string;
  /** The placeholder a bound value (always a string) compares through. */
  readonly placeholder: string;
}

/** A key column's kind for comparisons: integers compare as integers, the rest as text. */
export type KeyKind = 'integer' | 'text';

/** Quotes an identifier for the dialect (the quote character doubled inside). */
export function quoteName(dialect: KnexDialect, name: string): string {
  if (dialect === 'mysql') return `\`${name.replaceAll('`', '``')}\``;
  if (dialect === 'mssql') return `[${name.replaceAll(']', ']]')}]`;
  return `"${name.replaceAll('"', '""')}"`;
}

/** `db.schema.table` quoted, leaving out absent parts. */
export function quoteTable(
  dialect: KnexDialect,
  table: {
    readonly table: string;
    readonly schema?: string | undefined;
    readonly database?: string | undefined;
  },
): string {
  const parts = [
    table.database,
    table.schema ?? (table.database === undefined ? undefined : 'dbo'),
    table.table,
  ];
  return parts
    .filter((part): part is string => part !== undefined)
    .map((part) => quoteName(dialect, part))
    .join('.');
}

const MSSQL_UTF8 = 'Latin1_General_100_BIN2_UTF8';

/** The expression as UTF-8 text with a binary collation (MariaDB/MySQL and SQL Server need it said). */
export function utf8(dialect: KnexDialect, expression: string): string {
  if (dialect === 'mysql') return `CONVERT(${expression} USING utf8mb4) COLLATE utf8mb4_bin`;
  if (dialect === 'mssql') return `CONVERT(varchar(max), ${expression} COLLATE ${MSSQL_UTF8})`;
  return expression;
}

/** An integer expression as text. */
export function integerText(dialect: KnexDialect, expression: string): string {
  switch (dialect) {
    case 'mysql':
      return `CAST(${expression} AS CHAR)`;
    case 'mssql':
      return `CAST(${expression} AS varchar(40))`;
    case 'sqlite':
      return `CAST(${expression} AS TEXT)`;
    default:
      return `CAST(${expression} AS text)`;
  }
}

/** The byte length of a text expression's UTF-8 form, as text. */
export function byteLengthText(dialect: KnexDialect, expression: string): string {
  switch (dialect) {
    case 'mysql':
      return integerText(dialect, `LENGTH(${utf8(dialect, expression)})`);
    case 'mssql':
      return integerText(dialect, `DATALENGTH(${utf8(dialect, expression)})`);
    case 'sqlite':
      return integerText(dialect, `length(CAST(${expression} AS BLOB))`);
    default:
      return integerText(dialect, `octet_length(${expression})`);
  }
}

/** Concatenation of text expressions (none of them NULL). */
export function concatText(dialect: KnexDialect, parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  if (dialect === 'mysql' || dialect === 'mssql') return `CONCAT(${parts.join(', ')})`;
  return `(${parts.join(' || ')})`;
}

/** The MD5 of a text's UTF-8 bytes, as 32 lower-case hex digits (SQLite: Ferry's registered function). */
export function md5Hex(dialect: KnexDialect, text: string): string {
  switch (dialect) {
    case 'mysql':
      return `MD5(${utf8(dialect, text)})`;
    case 'mssql':
      return `LOWER(CONVERT(char(32), HASHBYTES('MD5', ${utf8(dialect, text)}), 2))`;
    case 'sqlite':
      return `ferry_md5(${text})`;
    default:
      return `md5(${text})`;
  }
}

/** The 32-bit unsigned integer of 8 hex digits of `hex` from position `from` (1-based). */
export function hexPart(dialect: KnexDialect, hex: string, from: 1 | 9): string {
  switch (dialect) {
    case 'mysql':
      return `CAST(CONV(SUBSTRING(${hex}, ${from}, 8), 16, 10) AS UNSIGNED)`;
    case 'mssql':
      return `CAST(CONVERT(varbinary(4), SUBSTRING(${hex}, ${from}, 8), 2) AS bigint)`;
    case 'sqlite':
      return `ferry_hex_int(substr(${hex}, ${from}, 8))`;
    default:
      return `CAST(CAST('x' || lpad(substr(${hex}, ${from}, 8), 16, '0') AS bit(64)) AS bigint)`;
  }
}

/** `SUM(expression)` as exact text, `0` over no rows. */
export function sumText(dialect: KnexDialect, expression: string): string {
  return `COALESCE(${integerText(dialect, `SUM(${expression})`)}, '0')`;
}

/** How a key column of this kind is written in this dialect. */
export function keySql(dialect: KnexDialect, column: string, kind: KeyKind): KeySql {
  if (kind === 'integer') {
    const cast = dialect === 'mysql' ? 'SIGNED' : dialect === 'sqlite' ? 'INTEGER' : 'bigint';
    return { kind, text: integerText(dialect, column), order: column, placeholder: `CAST(? AS ${cast})` };
  }
  switch (dialect) {
    case 'mysql':
      return {
        kind,
        text: column,
        order: `CAST(CONVERT(${column} USING utf8mb4) AS BINARY)`,
        placeholder: 'CAST(CONVERT(? USING utf8mb4) AS BINARY)',
      };
    case 'mssql':
      return {
        kind,
        text: column,
        order: utf8(dialect, column),
        placeholder: utf8(dialect, 'CAST(? AS nvarchar(max))'),
      };
    case 'sqlite':
      return { kind, text: column, order: `${column} COLLATE BINARY`, placeholder: '? COLLATE BINARY' };
    default:
      return {
        kind,
        text: column,
        order: `${column} COLLATE "C"`,
        placeholder: 'CAST(? AS text) COLLATE "C"',
      };
  }
}
