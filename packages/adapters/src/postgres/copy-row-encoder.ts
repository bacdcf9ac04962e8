// Rows to COPY text pieces. One piece is one string of up to ~1000 rows, built by appending fields
// (V8 ropes) so no per-value arrays or closures are allocated; a failure names table, column and key.

import { FerryError, isFerryError } from '@ferry/core';
import type { Row } from '@ferry/core';
import { encodeCopyValue } from './copy-encoder.js';
import type { TablePlan } from './table-plan.js';
import { rowKey } from './table-plan.js';

/**
 * Encode `rows[start..end)` as COPY text lines for the plan's columns. Attributes missing from a row
 * are written as NULL (the target's NOT NULL constraint still applies).
 */
export function encodeCopyRows(plan: TablePlan, rows: readonly Row[], start: number, end: number): string {
  const names = plan.names;
  const forms = plan.forms;
  const width = names.length;
  let out = '';
  let r = start;
  let c = 0;
  try {
    for (; r < end; r++) {
      const row = rows[r]!;
      out += encodeCopyValue(row[names[0]!], forms[0]!);
      for (c = 1; c < width; c++) {
        out += '\t' + encodeCopyValue(row[names[c]!], forms[c]!);
      }
      out += '\n';
      c = 0;
    }
  } catch (error) {
    throw withRowContext(error, plan, rows[r], names[c]);
  }
  return out;
}

/** Re-throw an encoding error with the table, column and row key it happened at. */
export function withRowContext(
  error: unknown,
  plan: TablePlan,
  row: Row | undefined,
  column: string | undefined,
): FerryError {
  const message = isFerryError(error) ? error.message : 'value cannot be encoded';
  return new FerryError(`${plan.label}.${column ?? '?'}: ${message}`, {
    code: isFerryError(error) ? error.code : 'FERRY_PG_ENCODE',
    reason: 'invalid-data',
    cause: error,
    operation: 'encode',
    attribute: column,
    key: rowKey(plan.target, row),
  });
}
