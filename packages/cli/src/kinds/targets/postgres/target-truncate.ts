// Start-over for a PostgreSQL target: empties the tables the run's entities map to, in one
// transaction, so `ferry run` after `reset --truncate` does not fail on the keys of an earlier load.
// Only the run's mapped tables are listed; a table outside the run that references one of them makes
// PostgreSQL refuse (no CASCADE), so nothing unlisted is ever emptied.

import { FerryError } from '@ferry/core';
import { classifyPostgresError, connectHeld, qualifiedTableName } from '@ferry/adapters/postgres';
import type { CompiledEntity } from '@ferry/mapping';
import type pg from 'pg';

/**
 * The distinct target tables of `entities`, as quoted names. They are emptied by one TRUNCATE
 * statement, so the references among them never block and the order does not matter to PostgreSQL.
 */
export function truncateOrder(entities: readonly CompiledEntity[]): string[] {
  return [...new Set(entities.map((e) => qualifiedTableName(e.table)))];
}

/** Empties `tables` (qualified, quoted names) in one transaction; returns how many rows they held. */
export async function truncateTables(pool: pg.Pool, tables: readonly string[]): Promise<number> {
  if (tables.length === 0) return 0;
  const held = await connectHeld(pool);
  let broken: Error | undefined;
  try {
    await held.client.query('BEGIN');
    let rows = 0;
    for (const table of tables) {
      const result = await held.client.query(`SELECT COUNT(*)::text AS n FROM ${table}`);
      rows += Number(result.rows[0]?.n ?? 0);
    }
    await held.client.query(`TRUNCATE ${tables.join(', ')}`);
    await held.client.query('COMMIT');
    return rows;
  } catch (error) {
    await held.client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback as Error));
    const failure = classifyPostgresError(error, { operation: 'reset.truncate' });
    throw new FerryError(
      `could not empty the run's target tables (nothing was deleted): ${failure.message}`,
      { code: 'FERRY_RESET_TRUNCATE', reason: failure.reason, operation: 'reset.truncate', cause: failure },
    );
  } finally {
    held.release(broken);
  }
}
