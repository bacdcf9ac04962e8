// Finds the row of a failed write that the target refuses, by splitting the rows (as pgloader does for
// its reject file): each try writes a prefix in a transaction that is always rolled back, so nothing is
// kept; about log2(n) tries. The rows come from a replay read again for each try (the last batches in
// memory, or the transaction's rows re-read from the source), so memory stays one batch whatever n is.
// For data and integrity errors (SQLSTATE classes 22 and 23), whose server messages cannot be shown
// (they quote values) and name no row.

import type { Row } from '@ferry/core';
import type { PgClient } from './pg-driver.js';
import type { TablePlan } from './table-plan.js';
import { createTxWriter, type PostgresSinkMode } from './tx-writers.js';

/** The first refused row: its index in the rows tried, the row, and the error that row alone adds. */
export interface FailingRow {
  readonly index: number;
  readonly row: Row;
  readonly error: unknown;
}

/**
 * Rows to try: `rows` of them, read again (in the same order) by each call of `replay`, which may
 * yield more; breaking out of its iteration must release what it holds.
 */
export interface RowsToTry {
  readonly rows: number;
  readonly replay: () => AsyncIterable<readonly Row[]>;
}

/** Rows held in memory, as {@link RowsToTry}. */
export function rowsInMemory(rows: readonly Row[]): RowsToTry {
  return {
    rows: rows.length,
    replay: () => ({
      [Symbol.asyncIterator]: () => {
        let done = false;
        return {
          next: () =>
            Promise.resolve(
              done ? { done, value: undefined } : ((done = true), { done: false, value: rows }),
            ),
        };
      },
    }),
  };
}

/** Whether an error is one a row's values cause (SQLSTATE class 22 data or 23 integrity). */
export function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.length === 5 && (code.startsWith('22') || code.startsWith('23'));
}

/** One rolled-back try: the error the write met, the last row sent, and how many rows were sent. */
interface Try {
  readonly failure: unknown;
  readonly last: Row | undefined;
  readonly sent: number;
}

/** The settings every try writes with. */
interface Writing {
  readonly client: PgClient;
  readonly plan: TablePlan;
  readonly mode: PostgresSinkMode;
  readonly pieceRows: number;
}

/** Writes the first `count` rows of a replay in a transaction that is rolled back. A read error throws. */
async function attempt(how: Writing, rows: RowsToTry, count: number): Promise<Try> {
  const writer = createTxWriter(how.mode, how.plan, how.pieceRows);
  const iterator = rows.replay()[Symbol.asyncIterator]();
  let failure: unknown;
  let last: Row | undefined;
  let sent = 0;
  await how.client.query('BEGIN');
  try {
    await writer.begin(how.client, (error) => (failure ??= error));
    while (sent < count && failure === undefined) {
      const next = await iterator.next().catch((error: unknown) => Promise.reject(new ReadFailed(error)));
      if (next.done === true) break;
      const piece = next.value.slice(0, count - sent);
      if (piece.length === 0) continue;
      last = piece[piece.length - 1];
      sent += piece.length; // handed to the writer (an INSERT refusing them throws here)
      await writer.write(piece);
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    if (error instanceof ReadFailed) {
      await how.client.query('ROLLBACK');
      throw error.cause;
    }
    failure ??= error;
  } finally {
    await iterator.return?.().catch(() => undefined);
  }
  await how.client.query('ROLLBACK');
  return { failure, last, sent };
}

/** A failure of the replay's read, kept apart from the write's failures. */
class ReadFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('replay read failed');
  }
}

/**
 * The first row `i` such that rows `0..i` fail with a row error while rows `0..i-1` do not: the row
 * that fails, or the later of two rows that fail together (a key held twice). `undefined` when the
 * rows alone do not fail (the cause lay elsewhere) or a replay no longer yields the rows it was given.
 * Throws when the connection or the replay's read fails.
 */
export async function findFailingRow(
  client: PgClient,
  plan: TablePlan,
  mode: PostgresSinkMode,
  pieceRows: number,
  rows: RowsToTry,
): Promise<FailingRow | undefined> {
  const how: Writing = { client, plan, mode, pieceRows };
  let failing = await attempt(how, rows, rows.rows);
  if (!isRowError(failing.failure)) return undefined;
  let passes = 0; // a prefix of this length is known to pass
  let fails = rows.rows; // and one of this length to fail
  while (fails - passes > 1) {
    const middle = passes + Math.floor((fails - passes) / 2);
    const tried = await attempt(how, rows, middle);
    // A row error may stop a try before it sent all its rows (an INSERT of an earlier batch): the
    // prefix still fails. Short of rows without one, the replay no longer yields what it was given.
    if (isRowError(tried.failure)) {
      fails = middle;
      failing = tried;
    } else if (tried.sent < middle) return undefined;
    else passes = middle;
  }
  // The try of exactly `fails` rows must have sent them all, its last row being the one refused.
  if (failing.sent !== fails) return undefined;
  return { index: fails - 1, row: failing.last!, error: failing.failure };
}
