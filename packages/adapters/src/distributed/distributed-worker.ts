// A worker: takes a run's jobs one at a time and runs each (pipeline-job.ts) until the run is complete
// (no job left to run or running, none failed for good), a job failed for good and nothing else is
// left, or its signal aborts (Ctrl-C: the running job is rolled back and failed, so pg-boss offers it
// again). Any number of workers, on any host that reaches the databases, share a run.

import { setTimeout as delay } from 'node:timers/promises';
import type { FerryError } from '@ferry/core';
import type { JobOutcome, PipelineJobContext } from './pipeline-job.js';
import { runPipelineJob } from './pipeline-job.js';
import type { PipelineJob } from './job-queue.js';
import { PENDING_STATES, readRunJobs } from './run-jobs.js';
import type { RunJob } from './run-jobs.js';

/** Options of {@link workDistributed}. */
export interface WorkerOptions extends Omit<PipelineJobContext, 'signal'> {
  readonly signal?: AbortSignal;
  /** Jobs taken and ended, and waits, as they happen (for progress lines). */
  onJob?(event: WorkerEvent): void;
  /**
   * How long the state database may stay unreachable (taking a job fails) before the worker gives up
   * and throws the last error. Default 60 s.
   */
  readonly unreachableMs?: number;
}

/** What a worker reports. */
export type WorkerEvent =
  | { readonly type: 'job:start'; readonly job: PipelineJob }
  | { readonly type: 'job:end'; readonly job: PipelineJob; readonly outcome: JobOutcome }
  | { readonly type: 'waiting'; readonly reason: 'no-jobs-yet' | 'jobs-running' }
  | { readonly type: 'queue:error'; readonly error: unknown };

/** How a worker ended. */
export interface WorkerResult {
  /**
   * `completed`: the run is complete; `failed`: jobs failed for good and none is left to run;
   * `unreachable`: three jobs in a row failed for a connection or authentication error (`error`).
   */
  readonly status: 'completed' | 'failed' | 'aborted' | 'unreachable';
  /** Jobs this worker ran to an end (completed or failed). */
  readonly jobs: number;
  /** The jobs that failed for good (status `failed`). */
  readonly failed: readonly RunJob[];
  /** The last connection error (status `unreachable`). */
  readonly error?: FerryError;
}

const UNREACHABLE = new Set(['connection', 'authentication']);

/**
 * Works on a run until it is complete. Throws only when the state database stays unreachable for
 * `unreachableMs`; a failed pipeline fails its job (retried by pg-boss) and the worker goes on.
 *
 * @example
 * ```ts
 * const queue = await JobQueue.open({ pool, runId, settings });
 * const result = await workDistributed({ queue, pool, checkpoints, settings, plan: (entities) => buildPlan(entities), run: {} });
 * ```
 */
export async function workDistributed(options: WorkerOptions): Promise<WorkerResult> {
  const signal = options.signal ?? new AbortController().signal;
  const context: PipelineJobContext = { ...options, signal };
  const pollMs = options.settings.pollSeconds * 1000;
  let jobs = 0;
  let unreachableSince: number | undefined;
  let unreachableJobs = 0;
  while (!signal.aborted) {
    let job: PipelineJob | undefined;
    let all: RunJob[] | undefined;
    try {
      job = await options.queue.take();
      if (job === undefined)
        all = (await readRunJobs(options.pool, options.settings.schema, options.queue.runId)) ?? [];
      unreachableSince = undefined;
    } catch (error) {
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > (options.unreachableMs ?? 60_000)) throw error;
      options.onJob?.({ type: 'queue:error', error });
      await pause(pollMs, signal);
      continue;
    }
    if (job !== undefined) {
      options.onJob?.({ type: 'job:start', job });
      const outcome = await runPipelineJob(context, job);
      options.onJob?.({ type: 'job:end', job, outcome });
      if (outcome.status === 'completed' || outcome.status === 'failed') jobs += 1;
      // A worker that cannot reach a database leaves the jobs to the others: it waits two expiries
      // before taking another, and stops after three such failures in a row.
      const cut = outcome.status === 'failed' && UNREACHABLE.has(outcome.error.reason);
      unreachableJobs = cut ? unreachableJobs + 1 : 0;
      if (cut && unreachableJobs >= 3)
        return { status: 'unreachable', jobs, failed: [], error: outcome.error };
      if (cut) await pause(2 * options.settings.expireSeconds * 1000, signal);
      continue;
    }
    const pending = all!.filter((j) => PENDING_STATES.includes(j.state));
    if (all!.length > 0 && pending.length === 0) {
      const failed = all!.filter((j) => j.state === 'failed');
      return { status: failed.length > 0 ? 'failed' : 'completed', jobs, failed };
    }
    options.onJob?.({ type: 'waiting', reason: all!.length === 0 ? 'no-jobs-yet' : 'jobs-running' });
    await pause(pollMs, signal);
  }
  return { status: 'aborted', jobs, failed: [] };
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/** The error of a job that failed, for a one-line message. */
export function outcomeError(outcome: JobOutcome): FerryError | undefined {
  return outcome.status === 'failed' ? outcome.error : undefined;
}
