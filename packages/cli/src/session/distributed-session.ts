// What the distributed commands (`run --distributed`, `worker`) share: the check that the run's state
// is a PostgreSQL database (pg-boss keeps the jobs there, beside the checkpoints), the resolved
// `distributed` settings, and the run's queue on the session's target pool. pg-boss is loaded only
// here, when a command distributes (a local `run` does not hold it).

import { FerryError } from '@ferry/core';
import type { JobQueue, ResolvedDistributedOptions } from '@ferry/adapters/distributed';
import type { CliSession } from './cli-session.js';

/**
 * The run's `distributed` settings; throws `FERRY_DISTRIBUTED_STATE` when the checkpoints are files
 * (`state.kind "file"`, or a target without a database): a file on one host cannot be shared.
 */
export async function distributedSettings(session: CliSession): Promise<ResolvedDistributedOptions> {
  const { config } = session.loaded;
  if (config.state?.kind === 'file' || session.targetKind.pool === undefined) {
    const why =
      config.state?.kind === 'file'
        ? 'state.kind is "file"'
        : `target.kind "${config.target.kind}" has no database to hold them`;
    throw new FerryError(
      `a distributed run keeps its jobs and checkpoints in PostgreSQL, and this run's checkpoints are files (${why}): set state.kind to "postgres" with a postgres target, or run without --distributed`,
      { code: 'FERRY_DISTRIBUTED_STATE', reason: 'invalid-config', operation: 'distributed' },
    );
  }
  const { resolveDistributedOptions } = await import('@ferry/adapters/distributed');
  return resolveDistributedOptions(config.distributed ?? {});
}

/** Starts pg-boss on the session's state database and opens the run's queue. */
export async function openRunQueue(
  session: CliSession,
  runId: string,
  settings: ResolvedDistributedOptions,
): Promise<JobQueue> {
  const { JobQueue } = await import('@ferry/adapters/distributed');
  return JobQueue.open({ pool: await session.target(), runId, settings });
}

/** A process's name in `pg_stat_activity` (≤ 63 bytes): `ferry worker <host>:<pid>`. */
export function processName(role: 'worker' | 'run', host: string, pid: number): string {
  return `ferry ${role} ${host}:${pid}`.slice(0, 63);
}
