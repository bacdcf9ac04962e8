// SQL pieces the assessment needs: text length in characters and binary length in bytes, written per
// engine because no function is portable across SQL Server, MariaDB, PostgreSQL and SQLite; and one
// aggregate count, so no check ever reads a row.

import type { KnexDialect } from '@ferry/adapters/knex';
import type { Knex } from 'knex';

/** SQL for the character length of a quoted column. */
export function charLengthSql(dialect: KnexDialect, column: string): string {
  switch (dialect) {
    case 'mssql':
      return `LEN(${column})`;
    case 'mysql':
      return `CHAR_LENGTH(${column})`;
    case 'oracle':
      return `LENGTH(${column})`;
    default:
      return `LENGTH(${column})`;
  }
}

/** SQL for the byte length of a quoted binary column. */
export function byteLengthSql(dialect: KnexDialect, column: string): string {
  switch (dialect) {
    case 'mssql':
      return `DATALENGTH(${column})`;
    case 'postgres':
      return `OCTET_LENGTH(${column})`;
    case 'oracle':
      return `DBMS_LOB.GETLENGTH(${column})`;
    default:
      // MariaDB LENGTH counts bytes; SQLite LENGTH of a BLOB counts bytes.
      return `LENGTH(${column})`;
  }
}

/**
 * A condition true when a quoted text column holds a NUL character (U+0000); undefined for
 * PostgreSQL, whose text cannot hold one.
 */
export function nulSql(dialect: KnexDialect, column: string): string | undefined {
  switch (dialect) {
    case 'postgres':
      return undefined;
    case 'mssql':
      // A binary collation: under the usual SQL_* collations NCHAR(0) matches every string.
      return `CHARINDEX(NCHAR(0) COLLATE Latin1_General_BIN2, ${column}) > 0`;
    case 'mysql':
      return `INSTR(${column}, CHAR(0 USING utf8mb4)) > 0`;
    case 'oracle':
      return `INSTR(${column}, CHR(0)) > 0`;
    default:
      return `INSTR(${column}, CHAR(0)) > 0`;
  }
}

/** Counts the rows of `table` matching a raw WHERE clause (identifiers as `??`, values as `?`). */
export async function countWhere(
  db: Knex,
  table: string,
  where: string,
  bindings: readonly Knex.Value[] = [],
): Promise<number> {
  const rows: { n?: unknown }[] = await db(table)
    .whereRaw(where, [...bindings])
    .count({ n: '*' });
  return Number(rows[0]?.n ?? 0);
}
