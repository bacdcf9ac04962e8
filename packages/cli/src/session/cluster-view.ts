// A distributed run as `status` and `reset` see it: its jobs per state (pg-boss's job table, read
// without starting pg-boss) and its live processes, which are the sessions holding the run's lock
// shared (`pg_locks`), named by their `application_name` (`ferry worker <host>:<pid>`). An active job
// whose heartbeat is older than its expiry is a killed worker's (counted as `expired`, not `active`):
// only a live pg-boss (a worker, the coordinator) moves it on, so with none alive it would stay active.

import type { RunJob, JobState } from '@ferry/adapters/distributed';
import type { CliSession } from './cli-session.js';

/** One process of a distributed run. */
export interface ClusterProcess {
  /** `ferry worker <host>:<pid>` or `ferry run <host>:<pid>` (the coordinator). */
  readonly name: string;
  /** The client address PostgreSQL sees (empty for a Unix socket). */
  readonly address: string;
  /** When its lock connection started (ISO). */
  readonly since: string;
}

/** The jobs and processes of a run. */
export interface ClusterView {
  /** Jobs per pg-boss state, except that `active` counts only jobs within their expiry. */
  readonly jobs: Record<JobState | 'expired', number>;
  /** Pipelines whose job is held by a worker now (or by a killed one, until it expires). */
  readonly active: readonly string[];
  /** When the last of the `active` jobs expires unless its worker renews it (ISO, database clock). */
  readonly activeUntil?: string;
  /** Pipelines whose active job is past its expiry: its worker is gone (retried at pg-boss's next maintenance). */
  readonly expired: readonly string[];
  /** Jobs that failed for good, with their last error. */
  readonly failed: readonly RunJob[];
  readonly processes: readonly ClusterProcess[];
}

// The two int4 keys of the run lock are the classid and objid of its pg_locks row, as unsigned oids.
const HOLDERS = `SELECT a.application_name AS name, COALESCE(host(a.client_addr), '') AS address, a.backend_start AS since
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ShareLock'
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid::bigint = (hashtext('ferry-run')::bigint + 4294967296) % 4294967296
    AND l.objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296 AND l.objsubid = 2
  ORDER BY a.backend_start`;

/**
 * The run's jobs and processes, or `undefined` when the run's state is not PostgreSQL or the run was
 * never distributed (no job).
 */
export async function readCluster(session: CliSession, runId: string): Promise<ClusterView | undefined> {
  const { config } = session.loaded;
  if (config.state?.kind === 'file' || session.targetKind.pool === undefined) return undefined;
  const { countJobs, readRunJobs, resolveDistributedOptions } = await import('@ferry/adapters/distributed');
  const pool = await session.target();
  const jobs = await readRunJobs(pool, resolveDistributedOptions(config.distributed ?? {}).schema, runId);
  if (jobs === undefined || jobs.length === 0) return undefined;
  const holders = await pool.query(HOLDERS, [runId]);
  const live = jobs.filter((j) => j.state === 'active' && !j.expired);
  const expired = jobs.filter((j) => j.expired);
  const until = live.map((j) => j.expiresOn?.toISOString() ?? '').sort();
  return {
    jobs: { ...countJobs(jobs), active: live.length, expired: expired.length },
    active: live.map((j) => j.pipeline).sort(),
    ...(until.length > 0 ? { activeUntil: until.at(-1)! } : {}),
    expired: expired.map((j) => j.pipeline).sort(),
    failed: jobs.filter((j) => j.state === 'failed'),
    processes: holders.rows.map((row) => ({
      name: typeof row.name === 'string' ? row.name : '',
      address: typeof row.address === 'string' ? row.address : '',
      since: row.since instanceof Date ? row.since.toISOString() : String(row.since),
    })),
  };
}
