// @ferry/adapters/distributed: a migration's pipelines (entities, key ranges, second passes) as jobs on
// pg-boss in the state database, run by any number of workers on any hosts. Exactly-once stays with
// the checkpoints (rows and checkpoint in one transaction); the queue only shares the work.

export type { DistributedOptions, ResolvedDistributedOptions } from './distributed-options.js';
export { resolveDistributedOptions } from './distributed-options.js';
export { pipelineJobId, runQueueName } from './job-names.js';
export { JobQueue } from './job-queue.js';
export type { JobQueueOptions, PipelineJob } from './job-queue.js';
export { completedPipelines, enqueueReady, readyPipelines } from './ready-pipelines.js';
export { countJobs, deleteRunQueue, expireJobs, PENDING_STATES, readRunJobs } from './run-jobs.js';
export type { JobState, RunJob } from './run-jobs.js';
export { pipelineLock } from './pipeline-lock.js';
export type { PipelineLock } from './pipeline-lock.js';
export { runPipelineJob } from './pipeline-job.js';
export type { JobOutcome, JobPlan, PipelineJobContext } from './pipeline-job.js';
export { outcomeError, workDistributed } from './distributed-worker.js';
export type { WorkerEvent, WorkerOptions, WorkerResult } from './distributed-worker.js';
export { runDistributed } from './distributed-run.js';
export type { DistributedRunOptions } from './distributed-run.js';
