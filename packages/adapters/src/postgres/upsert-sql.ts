// SQL of the idempotent 'upsert' mode. Rows are COPied into a temporary staging table created per
// transaction (ON COMMIT DROP), then merged with INSERT ... ON CONFLICT (key) DO UPDATE. DISTINCT ON
// keeps the last copy of a key written twice in one transaction, which ON CONFLICT would refuse; a
// transaction known to hold each key once skips it, and one whose keys are all new is a plain INSERT.

import type { TablePlan } from './table-plan.js';

/** The staging table's name (temporary tables are per session, so one name is enough). */
export const STAGING_TABLE = 'ferry_staging';
const ORDINAL = 'ferry_ordinal';

/** Create the staging table with the written columns' exact types, plus an insertion ordinal. */
export function stagingStatements(plan: TablePlan): string[] {
  return [
    `DROP TABLE IF EXISTS pg_temp.${STAGING_TABLE}`,
    `CREATE TEMPORARY TABLE ${STAGING_TABLE} ON COMMIT DROP AS ` +
      `SELECT ${plan.quoted.join(', ')} FROM ${plan.qualified} WITH NO DATA`,
    `ALTER TABLE pg_temp.${STAGING_TABLE} ADD COLUMN ${ORDINAL} bigint GENERATED ALWAYS AS IDENTITY`,
  ];
}

/**
 * Merge the staging table into the target: insert new keys, update existing ones. With `distinct`
 * (default) the last row of a key written twice wins; without it the staging table must hold each
 * key once (ON CONFLICT refuses a key twice in one statement), and no sort is needed.
 */
export function mergeStatement(plan: TablePlan, distinct = true): string {
  const columns = plan.quoted.join(', ');
  const keys = plan.quotedKey.join(', ');
  const updates = plan.quoted.filter((column) => !plan.quotedKey.includes(column));
  const action =
    updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`;
  return (
    `INSERT INTO ${plan.qualified} (${columns}) OVERRIDING SYSTEM VALUE ` +
    (distinct
      ? `SELECT DISTINCT ON (${keys}) ${columns} FROM pg_temp.${STAGING_TABLE} ORDER BY ${keys}, ${ORDINAL} DESC `
      : `SELECT ${columns} FROM pg_temp.${STAGING_TABLE} `) +
    `ON CONFLICT (${keys}) ${action}`
  );
}

/**
 * Copy the staging table into the target as a plain INSERT: for a staging table that holds each key
 * once, none of them in the target. Cheaper than ON CONFLICT (no speculative insertion, no extra WAL
 * record per row); a key that is there after all fails it with a unique violation.
 */
export function insertFromStagingStatement(plan: TablePlan): string {
  const columns = plan.quoted.join(', ');
  return (
    `INSERT INTO ${plan.qualified} (${columns}) OVERRIDING SYSTEM VALUE ` +
    `SELECT ${columns} FROM pg_temp.${STAGING_TABLE}`
  );
}

/** Whether the target holds a key in `[$1, $2]` (a single integer key): one index probe. */
export function keysInRangeStatement(plan: TablePlan): string {
  const key = plan.quotedKey[0]!;
  return `SELECT EXISTS (SELECT 1 FROM ${plan.qualified} WHERE ${key} BETWEEN $1 AND $2) AS found`;
}
