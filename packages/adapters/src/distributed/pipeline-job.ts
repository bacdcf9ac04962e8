// One job, run by a worker: the plan built again for the entities the coordinator planned (so the same
// partitions, from the ranges stored with the checkpoints), exactly that pipeline run by core's runner
// with its own sinks and checkpoints (rows and checkpoint in one transaction, as in a local run), the
// job kept alive by a heartbeat, then completed, or failed for pg-boss to retry.

import { FerryError, isFerryError, run } from '@ferry/core';
import type { CheckpointStore, EntityPipeline, EntityResult, Plan, RunOptions } from '@ferry/core';
import type { PgPool } from '../postgres/pg-driver.js';
import type { ResolvedDistributedOptions } from './distributed-options.js';
import type { JobQueue, PipelineJob } from './job-queue.js';
import { pipelineLock } from './pipeline-lock.js';
import { completedPipelines, enqueueReady } from './ready-pipelines.js';

/** A plan built for one job, and what closes it. */
export interface JobPlan {
  readonly plan: Plan;
  close(): Promise<void>;
}

/** What running a job needs (see `WorkerOptions`). */
export interface PipelineJobContext {
  readonly queue: JobQueue;
  readonly pool: PgPool;
  readonly checkpoints: CheckpointStore;
  readonly settings: ResolvedDistributedOptions;
  plan(entities: readonly string[] | undefined): Promise<JobPlan>;
  readonly run: Omit<RunOptions, 'runId' | 'signal' | 'checkpoints'>;
  readonly signal: AbortSignal;
}

/** How a job ended for this worker. */
export type JobOutcome =
  | { readonly status: 'completed'; readonly result: EntityResult }
  | { readonly status: 'failed'; readonly error: FerryError; readonly result?: EntityResult }
  | { readonly status: 'aborted' }
  /** The job expired under this worker (no heartbeat got through) and belongs to the queue again. */
  | { readonly status: 'lost' };

/** Runs one job to its end and settles it on the queue (completed, or failed for a retry). */
export async function runPipelineJob(context: PipelineJobContext, job: PipelineJob): Promise<JobOutcome> {
  const { queue, settings } = context;
  const lost = new AbortController();
  const signal = AbortSignal.any([context.signal, lost.signal]);
  const beat = setInterval(
    () => {
      // A heartbeat that cannot reach the database is no answer: the pipeline itself will fail then.
      void queue.heartbeat(job).then(
        (alive) => (alive ? undefined : lost.abort()),
        () => undefined,
      );
    },
    Math.max(500, (settings.expireSeconds * 1000) / 3),
  );
  try {
    const outcome = await runInPlan(context, job, signal);
    if (lost.signal.aborted && outcome.status !== 'completed') return { status: 'lost' };
    if (outcome.status === 'completed') await queue.complete(job);
    else if (outcome.status === 'failed') await queue.fail(job, outcome.error);
    else
      await queue.fail(job, {
        code: 'FERRY_ABORTED',
        message: 'the worker was stopped; the job is offered again',
      });
    return outcome;
  } catch (error) {
    const failure = asFerryError(error, job.pipeline);
    await queue.fail(job, failure).catch(() => undefined);
    return { status: 'failed', error: failure };
  } finally {
    clearInterval(beat);
  }
}

async function runInPlan(
  context: PipelineJobContext,
  job: PipelineJob,
  signal: AbortSignal,
): Promise<JobOutcome> {
  const built = await context.plan(job.entities);
  try {
    const pipeline = built.plan.entities.find((p) => p.entity === job.pipeline);
    if (pipeline === undefined)
      throw jobError(
        job,
        'is not in the plan this worker built: are the config and mapping the same on every host?',
      );
    // The queue offers a job only once its dependencies are complete; this checks it did.
    const done = completedPipelines(await context.checkpoints.list(context.queue.runId));
    const waiting = (pipeline.dependsOn ?? []).filter((dep) => !done.has(dep));
    if (waiting.length > 0) throw jobError(job, `was offered before ${waiting.join(', ')} completed`);
    const lock = await pipelineLock(context.pool, context.queue.runId, job.pipeline, signal);
    let result: EntityResult;
    try {
      result = await runAlone(context, pipeline, signal);
    } finally {
      await lock.release();
    }
    if (result.status === 'completed' || result.skipReason === 'completed') {
      // Dependants first: a worker killed before `complete` leaves this job to be retried, and the
      // retry (which finds the pipeline complete) sends them.
      await enqueueReady(context.queue, built.plan, context.checkpoints, job.entities);
      return { status: 'completed', result };
    }
    if (result.status === 'aborted') return { status: 'aborted' };
    return { status: 'failed', error: result.error ?? jobError(job, `ended ${result.status}`), result };
  } finally {
    await built.close();
  }
}

/** The pipeline as a plan of its own: its dependencies are complete, so they are left out. */
async function runAlone(
  context: PipelineJobContext,
  pipeline: EntityPipeline,
  signal: AbortSignal,
): Promise<EntityResult> {
  const { dependsOn: _complete, ...alone } = pipeline;
  const result = await run(
    { entities: [alone] },
    { ...context.run, runId: context.queue.runId, checkpoints: context.checkpoints, signal },
  );
  return result.entities[0]!;
}

function jobError(job: PipelineJob, what: string): FerryError {
  return new FerryError(`job ${job.pipeline} ${what}`, {
    code: 'FERRY_DISTRIBUTED_JOB',
    reason: 'invalid-config',
    entity: job.pipeline,
    operation: 'distributed.job',
  });
}

function asFerryError(error: unknown, pipeline: string): FerryError {
  if (isFerryError(error)) return error;
  return new FerryError(
    `${pipeline}: the job failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      code: 'FERRY_DISTRIBUTED_JOB',
      reason: 'unknown',
      entity: pipeline,
      operation: 'distributed.job',
      cause: error,
    },
  );
}
