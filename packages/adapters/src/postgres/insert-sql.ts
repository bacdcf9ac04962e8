// SQL of the 'insert' mode: multi-row INSERT with one text parameter per value. PostgreSQL infers each
// parameter's type from the target column, so text parameters load every type exactly (bytea as \x hex).

import type { Row } from '@ferry/core';
import { encodeParamValue } from './copy-encoder.js';
import { withRowContext } from './copy-row-encoder.js';
import type { TablePlan } from './table-plan.js';

const statements = new WeakMap<TablePlan, Map<number, string>>();

/** `INSERT INTO t (cols) OVERRIDING SYSTEM VALUE VALUES ($1, $2), ...` for `rows` rows (cached). */
export function insertStatement(plan: TablePlan, rows: number): string {
  let cache = statements.get(plan);
  if (cache === undefined) statements.set(plan, (cache = new Map<number, string>()));
  let sql = cache.get(rows);
  if (sql === undefined) {
    const width = plan.names.length;
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      const params: string[] = [];
      for (let c = 1; c <= width; c++) params.push(`$${r * width + c}`);
      tuples.push(`(${params.join(', ')})`);
    }
    // OVERRIDING SYSTEM VALUE lets preserved ids into GENERATED ALWAYS identity keys.
    sql = `INSERT INTO ${plan.qualified} (${plan.quoted.join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`;
    cache.set(rows, sql);
  }
  return sql;
}

/** The parameters of `rows[start..end)`, row by row. */
export function insertValues(
  plan: TablePlan,
  rows: readonly Row[],
  start: number,
  end: number,
): (string | null)[] {
  const names = plan.names;
  const forms = plan.forms;
  const values: (string | null)[] = [];
  let r = start;
  let c = 0;
  try {
    for (; r < end; r++) {
      const row = rows[r]!;
      for (c = 0; c < names.length; c++) values.push(encodeParamValue(row[names[c]!], forms[c]!));
    }
  } catch (error) {
    throw withRowContext(error, plan, rows[r], names[c]);
  }
  return values;
}
