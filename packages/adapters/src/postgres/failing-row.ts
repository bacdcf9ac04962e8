// Finds the row of a failed write that the target refuses, by splitting the rows (as pgloader does for
// its reject file): each try writes a prefix in a transaction that is always rolled back, so nothing is
// kept; about log2(n) tries. For data and integrity errors (SQLSTATE classes 22 and 23), whose server
// messages cannot be shown (they quote values) and name no row.

import type { Row } from '@ferry/core';
import type { PgClient } from './pg-driver.js';
import type { TablePlan } from './table-plan.js';
import { createTxWriter, type PostgresSinkMode } from './tx-writers.js';

/** The first refused row: its index in the rows tried and the error that row alone adds. */
export interface FailingRow {
  readonly index: number;
  readonly error: unknown;
}

/** Whether an error is one a row's values cause (SQLSTATE class 22 data or 23 integrity). */
export function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.length === 5 && (code.startsWith('22') || code.startsWith('23'));
}

/** Writes `rows` in a transaction that is rolled back; the error it met, if any. */
async function attempt(
  client: PgClient,
  plan: TablePlan,
  mode: PostgresSinkMode,
  pieceRows: number,
  rows: readonly Row[],
): Promise<unknown> {
  const writer = createTxWriter(mode, plan, pieceRows);
  let failure: unknown;
  await client.query('BEGIN');
  try {
    await writer.begin(client, (error) => (failure ??= error));
    await writer.write(rows);
    await writer.finish();
  } catch (error) {
    failure ??= error;
    await writer.abort();
  }
  await client.query('ROLLBACK');
  return failure;
}

/**
 * The first row `i` such that `rows[0..i]` fails with a row error while `rows[0..i-1]` does not: the
 * row that fails, or the later of two rows that fail together (a key held twice). `undefined` when
 * the rows alone do not fail (the cause lay elsewhere). Throws when the connection fails.
 */
export async function findFailingRow(
  client: PgClient,
  plan: TablePlan,
  mode: PostgresSinkMode,
  pieceRows: number,
  rows: readonly Row[],
): Promise<FailingRow | undefined> {
  let error = await attempt(client, plan, mode, pieceRows, rows);
  if (!isRowError(error)) return undefined;
  let passes = 0; // a prefix of this length is known to pass
  let fails = rows.length; // and one of this length to fail
  while (fails - passes > 1) {
    const middle = passes + Math.floor((fails - passes) / 2);
    const found = await attempt(client, plan, mode, pieceRows, rows.slice(0, middle));
    if (isRowError(found)) {
      fails = middle;
      error = found;
    } else passes = middle;
  }
  return { index: fails - 1, error };
}
