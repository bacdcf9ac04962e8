// After rows keep their O11 ids, the target's identity or serial sequence still starts at 1: the
// application's next insert would collide. This moves each key column's sequence to the key's maximum.

import type { TargetTable } from '@ferry/mapping';
import { quoteIdentifier } from './identifiers.js';
import type { PgQueryable } from './pg-driver.js';
import { planTable } from './table-plan.js';
import { classifyPostgresError } from './postgres-errors.js';

/**
 * For every key column backed by an identity or serial sequence, `setval` the sequence to the
 * column's maximum (the next generated id is max + 1). Columns without a sequence and empty tables
 * are left alone. Returns the sequences it moved.
 */
export async function resetSequences(db: PgQueryable, table: TargetTable): Promise<string[]> {
  const plan = planTable(table);
  const moved: string[] = [];
  for (const column of table.key) {
    try {
      const found = await db.query('SELECT pg_get_serial_sequence($1, $2) AS sequence', [
        plan.qualified,
        column,
      ]);
      const sequence = found.rows[0]?.sequence;
      if (typeof sequence !== 'string') continue;
      const sql =
        `SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdentifier(column)}) AS m ` +
        `FROM ${plan.qualified}) AS x WHERE m IS NOT NULL`;
      const result = await db.query(sql, [sequence]);
      if (result.rows.length > 0) moved.push(sequence);
    } catch (error) {
      throw classifyPostgresError(error, { table: plan.label, operation: 'sequence.reset' });
    }
  }
  return moved;
}
