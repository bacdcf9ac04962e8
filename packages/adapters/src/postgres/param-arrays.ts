// Rows as one parameter array per column, for statements over `unnest($1::type[], ...)` (the
// second-pass update, `ferry sync`'s delete): values encoded exactly as COPY encodes them, and a row
// that cannot be encoded named by its key.

import { FerryError } from '@ferry/core';
import type { Row } from '@ferry/core';
import type { TargetColumn, TargetTable } from '@ferry/mapping';
import { dateFormFor, encodeParamValue } from './copy-encoder.js';
import { withRowContext } from './copy-row-encoder.js';
import { tableLabel } from './identifiers.js';
import type { TablePlan } from './table-plan.js';

/** The target columns of these names; an unknown name is a mapping error (`FERRY_PG_TABLE`). */
export function tableColumns(table: TargetTable, names: readonly string[]): TargetColumn[] {
  return names.map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    if (column === undefined) {
      throw new FerryError(`column ${name} is not in target ${tableLabel(table)}: fix the mapping`, {
        code: 'FERRY_PG_TABLE',
        reason: 'invalid-config',
        attribute: name,
      });
    }
    return column;
  });
}

/** A function from rows to one text (or NULL) array per column, in `columns` order. */
export function paramArrays(
  plan: TablePlan,
  columns: readonly TargetColumn[],
): (rows: readonly Row[]) => (string | null)[][] {
  const forms = columns.map((column) => dateFormFor(column.type));
  return (rows) => {
    const out = columns.map(() => new Array<string | null>(rows.length));
    let r = 0;
    let c = 0;
    try {
      for (; r < rows.length; r++) {
        for (c = 0; c < columns.length; c++)
          out[c]![r] = encodeParamValue(rows[r]![columns[c]!.name], forms[c]!);
      }
    } catch (error) {
      throw withRowContext(error, plan, rows[r], columns[c]?.name);
    }
    return out;
  };
}
