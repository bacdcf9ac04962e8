// Per-dialect SQL fragments of the knex source: how to select a column as exact text and how to bind
// a key value so the database compares it as a number. Everything else is plain knex.

import type { Knex } from 'knex';
import type { ColumnKind } from './knex-column.js';

/** The SQL dialects the knex source knows. Oracle is written but untested here. */
export type KnexDialect = 'postgres' | 'mysql' | 'sqlite' | 'mssql' | 'oracle';

/** Reads the dialect of a knex instance (`pg`, `mysql2`, `better-sqlite3`, `mssql`, `oracledb`...). */
export function knexDialect(knex: Knex): KnexDialect {
  const dialect = (knex.client as { dialect?: string }).dialect ?? '';
  if (dialect === 'postgresql' || dialect === 'pg' || dialect === 'cockroachdb' || dialect === 'redshift') {
    return 'postgres';
  }
  if (dialect === 'mysql' || dialect === 'mysql2') return 'mysql';
  if (dialect === 'sqlite3' || dialect === 'better-sqlite3') return 'sqlite';
  if (dialect === 'mssql') return 'mssql';
  if (dialect === 'oracledb' || dialect === 'oracle') return 'oracle';
  // Unknown dialects get the PostgreSQL fragments, which are standard SQL.
  return 'postgres';
}

/**
 * The select expression (with `??` for the column) that returns a column of this kind as text, or
 * `undefined` when the driver's own value is exact. PostgreSQL's timestamp text form assumes the
 * default `DateStyle = ISO`.
 */
export function textCastExpression(dialect: KnexDialect, kind: ColumnKind): string | undefined {
  const temporal = kind === 'date' || kind === 'time' || kind === 'datetime';
  if (!temporal && kind !== 'bigint' && kind !== 'decimal') return undefined;
  switch (dialect) {
    case 'postgres':
      return 'CAST(?? AS text)';
    case 'mysql':
      return 'CAST(?? AS CHAR)';
    case 'sqlite':
      return 'CAST(?? AS TEXT)';
    case 'mssql':
      return temporal ? 'CONVERT(varchar(33), ??, 126)' : 'CAST(?? AS varchar(64))';
    case 'oracle':
      return temporal ? `TO_CHAR(??, 'YYYY-MM-DD"T"HH24:MI:SS')` : 'TO_CHAR(??)';
  }
}

/**
 * The placeholder for a key value of this kind. Key values travel as strings; integer keys are cast
 * in SQL so every engine compares them as integers (MySQL documents some string-to-integer
 * comparisons as double precision, which is wrong beyond 2^53).
 */
export function keyPlaceholder(dialect: KnexDialect, kind: ColumnKind | undefined): string {
  if (kind === 'integer' || kind === 'bigint') {
    switch (dialect) {
      case 'postgres':
      case 'mssql':
        return 'CAST(? AS bigint)';
      case 'mysql':
        return 'CAST(? AS SIGNED)';
      case 'sqlite':
        return 'CAST(? AS INTEGER)';
      case 'oracle':
        return 'TO_NUMBER(?)';
    }
  }
  if (kind === 'decimal') {
    if (dialect === 'postgres') return 'CAST(? AS numeric)';
    if (dialect === 'mysql') return 'CAST(? AS DECIMAL(65,30))';
    if (dialect === 'mssql') return 'CAST(? AS decimal(38,8))';
  }
  return '?';
}

/**
 * The select expression (with `??` for the column) of a value's size in bytes, read without sending the
 * value: what a page of a table with Binary Data columns is measured with before it is read.
 */
export function byteLengthExpression(dialect: KnexDialect): string {
  switch (dialect) {
    case 'postgres':
    case 'mysql':
      return 'COALESCE(OCTET_LENGTH(??), 0)';
    case 'sqlite':
      return 'COALESCE(LENGTH(CAST(?? AS BLOB)), 0)';
    case 'mssql':
      return 'COALESCE(DATALENGTH(??), 0)';
    case 'oracle':
      return 'COALESCE(DBMS_LOB.GETLENGTH(??), 0)';
  }
}
