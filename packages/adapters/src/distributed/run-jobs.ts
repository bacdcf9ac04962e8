// What a run's queue holds, read with plain SQL from pg-boss's job table without starting pg-boss (so
// `status` and `reset` never create its schema): per pipeline the job's state, retries and the error
// a worker failed it with, and whether an active job's heartbeat is older than its expiry (a killed
// worker's job that no live pg-boss has expired yet). Also pg-boss's expiry run once, and the removal
// of a run's queue (`reset`).

import PgBoss from 'pg-boss';
import type { PgQueryable } from '../postgres/pg-driver.js';
import { runQueueName } from './job-names.js';

/** pg-boss's job states. */
export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** One job of a run. */
export interface RunJob {
  readonly pipeline: string;
  readonly state: JobState;
  /** Retries so far (an expiry counts as one). */
  readonly retryCount: number;
  /** When its last attempt started and when it ended (completed or failed), if it did. */
  readonly startedOn?: Date;
  readonly completedOn?: Date;
  /**
   * An active job's expiry: its heartbeat (`started_on`, which a live worker moves forward) plus its
   * `expire_in`, on the database's clock. pg-boss's maintenance retries the job after it.
   */
  readonly expiresOn?: Date;
  /** An active job past its expiry: its worker is gone (pg-boss expires it at its next maintenance). */
  readonly expired: boolean;
  /** The last failure (`code`, `message`; a worker's FerryError, or pg-boss's expiry), if any. */
  readonly error?: { readonly code: string; readonly message: string; readonly reason: string };
}

/** States in which a job is still to run or running. */
export const PENDING_STATES: readonly JobState[] = ['created', 'retry', 'active'];

/**
 * The jobs of a run in `schema` (a validated identifier), or `undefined` when pg-boss's tables are not
 * there (the run was never distributed).
 */
export async function readRunJobs(
  pool: PgQueryable,
  schema: string,
  runId: string,
): Promise<RunJob[] | undefined> {
  const exists = await pool.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`${schema}.job`]);
  if (exists.rows[0]?.ok !== true) return undefined;
  const result = await pool.query(
    `SELECT data->>'pipeline' AS pipeline, state::text AS state, retry_count, output, started_on, completed_on,
            CASE WHEN state = 'active' THEN started_on + expire_in END AS expires_on,
            (state = 'active' AND started_on + expire_in < now()) AS expired
       FROM ${schema}.job WHERE name = $1`,
    [runQueueName(runId)],
  );
  return result.rows.map((row) => {
    const error = failure(row.output);
    return {
      pipeline: String(row.pipeline),
      state: String(row.state) as JobState,
      retryCount: Number(row.retry_count),
      ...(row.started_on instanceof Date ? { startedOn: row.started_on } : {}),
      ...(row.completed_on instanceof Date ? { completedOn: row.completed_on } : {}),
      ...(row.expires_on instanceof Date ? { expiresOn: row.expires_on } : {}),
      expired: row.expired === true,
      ...(error === undefined ? {} : { error }),
    };
  });
}

/** Jobs per state (every state present, 0 when none). */
export function countJobs(jobs: readonly RunJob[]): Record<JobState, number> {
  const counts: Record<JobState, number> = {
    created: 0,
    retry: 0,
    active: 0,
    completed: 0,
    cancelled: 0,
    failed: 0,
  };
  for (const job of jobs) counts[job.state] += 1;
  return counts;
}

/**
 * Runs pg-boss's expiry once (its own `expire`, as its maintenance loop does, without starting pg-boss):
 * every active job whose heartbeat is older than its expiry goes to `retry` (or `failed` after its
 * retries). With no worker or coordinator alive, nothing else would. Nothing when pg-boss's tables are
 * not there.
 */
export async function expireJobs(pool: PgQueryable, schema: string): Promise<void> {
  const exists = await pool.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`${schema}.job`]);
  if (exists.rows[0]?.ok !== true) return;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) as never },
    schema,
  });
  await boss.expire();
}

/** Removes a run's queue and its jobs (pg-boss's own `delete_queue`); nothing when there is none. */
export async function deleteRunQueue(pool: PgQueryable, schema: string, runId: string): Promise<void> {
  const exists = await pool.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`${schema}.queue`]);
  if (exists.rows[0]?.ok !== true) return;
  // pg-boss 10's delete_queue removes the queue row before the jobs that reference it: jobs first.
  await pool.query(`DELETE FROM ${schema}.job WHERE name = $1`, [runQueueName(runId)]);
  await pool.query(`SELECT ${schema}.delete_queue($1)`, [runQueueName(runId)]);
}

// A worker fails a job with `{ code, message }`; pg-boss's expiry writes `{ value: { message } }`.
function failure(output: unknown): RunJob['error'] {
  if (typeof output !== 'object' || output === null) return undefined;
  const record = output as {
    code?: unknown;
    message?: unknown;
    reason?: unknown;
    value?: { message?: unknown };
  };
  if (typeof record.message === 'string')
    return {
      code: typeof record.code === 'string' ? record.code : 'FERRY_DISTRIBUTED_JOB',
      message: record.message,
      reason: typeof record.reason === 'string' ? record.reason : 'unknown',
    };
  if (typeof record.value?.message === 'string')
    return { code: 'FERRY_JOB_EXPIRED', message: record.value.message, reason: 'timeout' };
  return undefined;
}
