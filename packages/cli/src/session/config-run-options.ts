// The options of core's `run` that come from the config, shared by `ferry run` and `ferry sync` so a
// catch-up batches, commits, runs at once and counts rejects exactly as the run it catches up.

import type { RunOptions } from '@ferry/core';
import type { FerryConfig } from '../config/config-types.js';
import { connectionBudget } from './connection-budget.js';

/** `batchSize`, `batchBytes`, `commitEvery`, `concurrency` (within the connection budget), reject threshold. */
export function configRunOptions(
  config: FerryConfig,
): Pick<RunOptions, 'batchSize' | 'batchBytes' | 'commitEvery' | 'concurrency' | 'rejectThreshold'> {
  return {
    ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
    ...(config.batchBytes === undefined ? {} : { batchBytes: config.batchBytes }),
    ...(config.commitEvery === undefined ? {} : { commitEvery: config.commitEvery }),
    concurrency: connectionBudget(config).concurrency,
    rejectThreshold: {
      ...(config.rejects?.maxRows === undefined ? {} : { maxRows: config.rejects.maxRows }),
      ...(config.rejects?.maxRatio === undefined ? {} : { maxRatio: config.rejects.maxRatio }),
    },
  };
}
