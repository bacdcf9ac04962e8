// filterRows: drops rows on purpose (row filters of a mapping). Dropped rows are counted in the batch's
// `rowsFiltered`, so the report always adds up: read = written + rejected + filtered.

import type { Stage, StageContext } from '../stage.js';
import { named } from './stage-name.js';

/**
 * A stage that keeps the rows for which `predicate` is true and counts the others in `rowsFiltered`.
 * A batch whose rows are all filtered is still emitted (empty), so its position reaches the checkpoint.
 *
 * @example
 * ```ts
 * const activeOnly = filterRows((row: Row) => row.IsActive === true);
 * ```
 */
export function filterRows<R>(predicate: (row: R, context: StageContext) => boolean): Stage<R, R> {
  return named('filterRows', async function* (input, context) {
    for await (const batch of input) {
      const kept = batch.rows.map((row) => predicate(row, context));
      const rows = batch.rows.filter((_, i) => kept[i]);
      const dropped = batch.rows.length - rows.length;
      if (dropped === 0) {
        yield batch;
        continue;
      }
      const rowsFiltered = (batch.rowsFiltered ?? 0) + dropped;
      // Source keys travel index-aligned with the rows (Batch.keys): drop the same entries.
      const keys = batch.keys?.filter((_, i) => kept[i]);
      yield keys === undefined ? { ...batch, rows, rowsFiltered } : { ...batch, rows, rowsFiltered, keys };
    }
  });
}
