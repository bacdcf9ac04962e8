// mapRows: the per-row transform stage. Positions and counters pass through untouched: a map neither
// drops nor adds rows.

import type { Stage, StageContext } from '../stage.js';
import { named } from './stage-name.js';

/**
 * A stage that transforms every row with `fn`, keeping batch boundaries, positions and counters.
 *
 * @example
 * ```ts
 * const upper = mapRows((row: Row) => ({ ...row, Code: String(row.Code).toUpperCase() }));
 * ```
 */
export function mapRows<I, O>(fn: (row: I, context: StageContext) => O): Stage<I, O> {
  return named('mapRows', async function* (input, context) {
    for await (const batch of input) {
      const rows = batch.rows.map((row) => fn(row, context));
      yield { ...batch, rows };
    }
  });
}
