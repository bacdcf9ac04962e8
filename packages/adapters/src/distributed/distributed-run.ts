// The coordinator of a distributed run (`ferry run --distributed`): validates the plan, offers failed
// jobs again, sends the jobs of the ready pipelines, then follows the run from the checkpoints and the
// jobs until every pipeline is complete, a job failed for good with nothing left to run, or its signal
// aborts (the workers go on). It moves no row itself and returns what core's `run` returns.

import { setTimeout as delay } from 'node:timers/promises';
import { orderPlan } from '@ferry/core';
import type { Checkpoint, CheckpointStore, Plan, RunEvent, RunResult, RunStatus } from '@ferry/core';
import type { PgQueryable } from '../postgres/pg-driver.js';
import type { ResolvedDistributedOptions } from './distributed-options.js';
import { FollowEvents } from './follow-events.js';
import type { JobQueue } from './job-queue.js';
import { enqueueReady } from './ready-pipelines.js';
import { PENDING_STATES, readRunJobs } from './run-jobs.js';
import type { RunJob } from './run-jobs.js';

/** Options of {@link runDistributed}. */
export interface DistributedRunOptions {
  readonly queue: JobQueue;
  /** The state database (where pg-boss's tables are). */
  readonly pool: PgQueryable;
  readonly checkpoints: Pick<CheckpointStore, 'list'>;
  readonly settings: ResolvedDistributedOptions;
  /** The entities the plan was built for (`run -e`), handed to every worker with each job. */
  readonly entities?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/**
 * Enqueues the run's jobs and follows it to its end. Status as core's `run`: `completed`,
 * `already-completed` (nothing was left), `failed` (a job failed for good; the workers stop once
 * nothing else is left), `aborted` (this process was stopped; the workers go on).
 */
export async function runDistributed(plan: Plan, options: DistributedRunOptions): Promise<RunResult> {
  orderPlan(plan);
  const { queue, signal } = options;
  const runId = queue.runId;
  const started = performance.now();
  const emit = options.onEvent ?? (() => undefined);
  const pipelines = plan.entities.map((p) => p.entity);
  const initial = new Map(
    (await options.checkpoints.list(runId))
      .filter((c) => pipelines.includes(c.entity))
      .map((c) => [c.entity, c]),
  );
  const before = new Set([...initial.values()].filter((c) => c.status === 'completed').map((c) => c.entity));
  emit({ type: 'run:start', runId, entities: pipelines, resumed: initial.size > 0 });
  await queue.retryFailed();
  const follow = new FollowEvents(runId, pipelines, emit, initial);
  let status: RunStatus | undefined;
  let state = await poll(plan, options);
  for (;;) {
    follow.poll(state.checkpoints, state.jobs);
    status = ended(pipelines, state, before, signal);
    if (status !== undefined) break;
    await delay(options.settings.pollSeconds * 1000, undefined, { signal }).catch(() => undefined);
    state = await poll(plan, options);
  }
  const entities = follow.results(state.checkpoints, state.jobs, status === 'failed', before);
  const durationMs = Math.round(performance.now() - started);
  emit({ type: 'run:end', runId, status, durationMs });
  return { runId, status, resumable: status === 'failed' || status === 'aborted', entities, durationMs };
}

interface Polled {
  readonly checkpoints: ReadonlyMap<string, Checkpoint>;
  readonly jobs: ReadonlyMap<string, RunJob>;
}

/** Sends what became ready (a worker killed between its commit and its sends), then reads the state. */
async function poll(plan: Plan, options: DistributedRunOptions): Promise<Polled> {
  await enqueueReady(options.queue, plan, options.checkpoints, options.entities);
  const [checkpoints, jobs] = await Promise.all([
    options.checkpoints.list(options.queue.runId),
    readRunJobs(options.pool, options.settings.schema, options.queue.runId),
  ]);
  return {
    checkpoints: new Map(checkpoints.map((c) => [c.entity, c])),
    jobs: new Map((jobs ?? []).map((j) => [j.pipeline, j])),
  };
}

function ended(
  pipelines: readonly string[],
  state: Polled,
  before: ReadonlySet<string>,
  signal?: AbortSignal,
): RunStatus | undefined {
  if (pipelines.every((p) => state.checkpoints.get(p)?.status === 'completed'))
    return pipelines.every((p) => before.has(p)) ? 'already-completed' : 'completed';
  const jobs = [...state.jobs.values()];
  if (jobs.some((j) => j.state === 'failed') && !jobs.some((j) => PENDING_STATES.includes(j.state)))
    return 'failed';
  if (signal?.aborted === true) return 'aborted';
  return undefined;
}
