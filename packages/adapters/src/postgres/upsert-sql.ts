// SQL of the idempotent 'upsert' mode. Rows are COPied into a temporary staging table created per
// transaction (ON COMMIT DROP), then merged with INSERT ... ON CONFLICT (key) DO UPDATE. DISTINCT ON
// keeps the last copy of a key written twice in one transaction, which ON CONFLICT would refuse.

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

/** Merge the staging table into the target: insert new keys, update existing ones. */
export function mergeStatement(plan: TablePlan): string {
  const columns = plan.quoted.join(', ');
  const keys = plan.quotedKey.join(', ');
  const updates = plan.quoted.filter((column) => !plan.quotedKey.includes(column));
  const action =
    updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`;
  return (
    `INSERT INTO ${plan.qualified} (${columns}) OVERRIDING SYSTEM VALUE ` +
    `SELECT DISTINCT ON (${keys}) ${columns} FROM pg_temp.${STAGING_TABLE} ORDER BY ${keys}, ${ORDINAL} DESC ` +
    `ON CONFLICT (${keys}) ${action}`
  );
}
