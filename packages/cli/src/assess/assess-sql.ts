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
