// How many pipelines run at once and how large the source and target pools are. Each running pipeline
// (an entity, or one key range of a partitioned entity) uses at most one source connection and one
// target connection at a time; the run lock and checkpoint saves outside a sink need two more.

import type { FerryConfig } from '../config/config-types.js';

/** Pipelines at once and pool sizes for a run. */
export interface ConnectionBudget {
  readonly concurrency: number;
  readonly source: number;
  readonly target: number;
}

/**
 * Without `connections`: `concurrency` pipelines (default 2), a source pool of at least 4 and a target
 * pool of `2 × concurrency + 2` (at least 4). With `connections` (the total of both pools): as many
 * pipelines as fit `(connections - 2) / 2`, never more than `concurrency`, and the pools split to match.
 */
export function connectionBudget(config: Pick<FerryConfig, 'concurrency' | 'connections'>): ConnectionBudget {
  const wanted = config.concurrency ?? 2;
  if (config.connections === undefined) {
    return { concurrency: wanted, source: Math.max(4, wanted), target: Math.max(4, wanted * 2 + 2) };
  }
  const concurrency = Math.max(1, Math.min(wanted, Math.floor((config.connections - 2) / 2)));
  return { concurrency, source: concurrency, target: config.connections - concurrency };
}
