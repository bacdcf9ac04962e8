// How a diff's SQL reaches each database: through the caller's knex (any source dialect) or the
// target's pg pool. SQLite has no hash function, so Ferry registers two on the connection it uses
// (better-sqlite3 runs them in-process: rows still never leave the database library).

import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { toKnexFerryError } from '../knex/knex-error-classifier.js';
import type { KnexDialect } from '../knex/knex-dialect.js';
import type { PgQueryable } from '../postgres/pg-driver.js';
import { classifyPostgresError } from '../postgres/postgres-errors.js';
import type { SqlRunner } from './diff-sql-side.js';

/** Where an error happened, for the FerryError it becomes. */
export interface RunnerContext {
  readonly entity: string;
  readonly table: string;
}

/** A better-sqlite3 connection's `function` registration, the only part used. */
interface SqliteConnection {
  function(name: string, options: { deterministic: boolean }, fn: (value: string | null) => unknown): unknown;
}

const registered = new WeakSet<object>();

function registerSqliteFunctions(connection: SqliteConnection): void {
  if (registered.has(connection)) return;
  connection.function('ferry_md5', { deterministic: true }, (value) =>
    value === null ? null : createHash('md5').update(value, 'utf8').digest('hex'),
  );
  // A BigInt, so SQLite stores an INTEGER (a JS number would be a REAL, and its SUM a float).
  connection.function('ferry_hex_int', { deterministic: true }, (value) =>
    value === null ? null : BigInt(`0x${value}`),
  );
  registered.add(connection);
}

function rowsOf(dialect: KnexDialect, result: unknown): Record<string, unknown>[] {
  if (dialect === 'postgres') return (result as { rows: Record<string, unknown>[] }).rows;
  if (dialect === 'mysql') return (result as [Record<string, unknown>[]])[0];
  return result as Record<string, unknown>[];
}

/** Runs a diff's SQL on the caller's knex (rows as objects). */
export function knexRunner(knex: Knex, dialect: KnexDialect, context: RunnerContext): SqlRunner {
  return async (sql, bindings) => {
    try {
      if (dialect !== 'sqlite') return rowsOf(dialect, await knex.raw(sql, [...bindings]));
      const client = knex.client as {
        acquireConnection(): Promise<SqliteConnection>;
        releaseConnection(connection: SqliteConnection): Promise<unknown>;
      };
      const connection = await client.acquireConnection();
      try {
        registerSqliteFunctions(connection);
        return rowsOf(dialect, await knex.raw(sql, [...bindings]).connection(connection));
      } finally {
        await client.releaseConnection(connection);
      }
    } catch (error) {
      throw toKnexFerryError(error, { entity: context.entity, operation: 'diff' });
    }
  };
}

/** `?` placeholders numbered `$1`, `$2`... (the diff's SQL holds no `?` in its literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Runs a diff's SQL on the target's pool. */
export function pgRunner(pool: PgQueryable, context: RunnerContext): SqlRunner {
  return async (sql, bindings) => {
    try {
      const result = await pool.query(numberPlaceholders(sql), [...bindings]);
      return [...result.rows];
    } catch (error) {
      throw classifyPostgresError(error, { entity: context.entity, table: context.table, operation: 'diff' });
    }
  };
}
