// Dependency order across workers: a pipeline's job is sent only once every pipeline it depends on is
// complete (its checkpoint says so), so no worker can take it early. The plan's `dependsOn` already
// holds the whole order: a partitioned entity's dependants wait for all its ranges (partitionPlan),
// and a second pass waits for pass 1 of its whole cycle (planFromMapping).

import type { Checkpoint, CheckpointStore, Plan } from '@ferry/core';
import type { JobQueue } from './job-queue.js';

/** The pipelines whose checkpoint is `completed`. */
export function completedPipelines(checkpoints: readonly Checkpoint[]): Set<string> {
  return new Set(checkpoints.filter((c) => c.status === 'completed').map((c) => c.entity));
}

/** The pipelines of `plan` not complete yet whose dependencies all are, in plan order. */
export function readyPipelines(plan: Plan, completed: ReadonlySet<string>): string[] {
  return plan.entities
    .filter((p) => !completed.has(p.entity) && (p.dependsOn ?? []).every((dep) => completed.has(dep)))
    .map((p) => p.entity);
}

/**
 * Sends the jobs of every ready pipeline (idempotent: a job already sent is not sent again). Called by
 * the coordinator at its start and while it follows, and by a worker after each pipeline it completed,
 * before it completes that job, so a worker killed in between leaves a job that is retried and sends
 * them then. Returns how many jobs were new.
 */
export async function enqueueReady(
  queue: JobQueue,
  plan: Plan,
  checkpoints: Pick<CheckpointStore, 'list'>,
  entities: readonly string[] | undefined,
): Promise<number> {
  const done = completedPipelines(await checkpoints.list(queue.runId));
  return queue.enqueue(readyPipelines(plan, done), entities);
}
