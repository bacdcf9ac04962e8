// Names a distributed run gives pg-boss: one queue per run, one job id per pipeline. Both are derived
// from the run id and the pipeline name alone, so every process (coordinator or worker, on any host)
// names the same job the same way, and sending a job twice is a no-op (pg-boss inserts with
// `ON CONFLICT DO NOTHING` on its id).

import { createHash } from 'node:crypto';

/**
 * The pg-boss queue of a run: `ferry-run-<16 hex digits of SHA-256(runId)>` (pg-boss queue names
 * allow letters, digits, `-` and `_`; a run id may hold other characters).
 */
export function runQueueName(runId: string): string {
  return `ferry-run-${createHash('sha256').update(runId).digest('hex').slice(0, 16)}`;
}

/**
 * The job id of a pipeline of a run: a UUID (version 8, RFC 9562 "custom") made of SHA-256 of the run
 * id and the pipeline name, so the same pipeline is always the same job.
 *
 * @example
 * ```ts
 * pipelineJobId('run-1', 'Sales.Order[2/4]'); // always the same UUID
 * ```
 */
export function pipelineJobId(runId: string, pipeline: string): string {
  const hex = createHash('sha256').update(runId).update('\u0000').update(pipeline).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
