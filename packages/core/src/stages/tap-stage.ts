// tap: look at every batch without changing it (metrics, logging, assertions in tests). An async
// callback is awaited, so it applies backpressure like any stage.

import type { Batch } from '../row.js';
import type { Stage, StageContext } from '../stage.js';
import { named } from './stage-name.js';

/**
 * A stage that calls `fn` with every batch and passes the batch on unchanged.
 *
 * @example
 * ```ts
 * const log = tap((batch) => console.log(`${batch.rows.length} rows`));
 * ```
 */
export function tap<R>(fn: (batch: Batch<R>, context: StageContext) => void | Promise<void>): Stage<R, R> {
  return named('tap', async function* (input, context) {
    for await (const batch of input) {
      await fn(batch, context);
      yield batch;
    }
  });
}
