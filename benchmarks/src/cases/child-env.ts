// What every child load receives: connection URLs through the environment (never argv, where `ps`
// would show them) and the rest as a JSON argument.

import type { DistributedOptions } from '@ferry/adapters/distributed';

/** The JSON argument of a child load. */
export interface ChildArgs {
  readonly schema: string;
  readonly table: string;
  readonly batchSize: number;
  readonly commitEvery: number;
  /** Ferry: the run id (same id = resume) and the fraction after which to abort (resume case). */
  readonly runId?: string;
  readonly abortAt?: number;
  readonly mode?: 'copy' | 'upsert';
  readonly maxInFlight?: number;
  /** Key-range partitions of the entity (run at once); 1 or absent reads it as one stream. */
  readonly partitions?: number;
  /** Distributed cases: worker processes, and pg-boss's settings (expiry, polling). */
  readonly workers?: number;
  readonly distributed?: DistributedOptions;
}

/** Source (MariaDB, with database) and target (PostgreSQL, with database) URLs of a child. */
export function childUrls(): { readonly source: string; readonly target: string } {
  const source = process.env['FERRY_BENCH_SOURCE_URL'];
  const target = process.env['FERRY_BENCH_TARGET_URL'];
  if (source === undefined || target === undefined) throw new Error('child: source/target URL env missing');
  return { source, target };
}
