// The coordinator's view of a distributed run: the runner's events (entity start, durable batches,
// entity end), made from what the checkpoints and jobs say at each poll, so `ferry run --distributed`
// shows the same progress as a local run. Counts are the checkpoints' (durable rows, every worker).

import type { Checkpoint, EntityResult, RunEvent } from '@ferry/core';
import { FerryError, isFerryErrorCode } from '@ferry/core';
import type { FerryErrorReason } from '@ferry/core';
import type { RunJob } from './run-jobs.js';

interface Seen {
  readonly startedAt: number;
  readonly startRows: number;
  checkpoint: Checkpoint | undefined;
  endedAt?: number;
}

/** Turns successive polls of checkpoints and jobs into run events, and the final entity results. */
export class FollowEvents {
  readonly #runId: string;
  readonly #pipelines: readonly string[];
  readonly #emit: (event: RunEvent) => void;
  readonly #seen = new Map<string, Seen>();
  readonly #initial: ReadonlyMap<string, Checkpoint>;

  /** `initial`: the checkpoints when the coordinator started (a pipeline resumes from them). */
  constructor(
    runId: string,
    pipelines: readonly string[],
    emit: (event: RunEvent) => void,
    initial: ReadonlyMap<string, Checkpoint> = new Map(),
  ) {
    this.#runId = runId;
    this.#pipelines = pipelines;
    this.#emit = emit;
    this.#initial = initial;
  }

  /** Emits what changed since the last poll. */
  poll(checkpoints: ReadonlyMap<string, Checkpoint>, jobs: ReadonlyMap<string, RunJob>): void {
    const runId = this.#runId;
    for (const entity of this.#pipelines) {
      const checkpoint = checkpoints.get(entity);
      const job = jobs.get(entity);
      let seen = this.#seen.get(entity);
      if (seen === undefined) {
        if (job?.state !== 'active' && checkpoint?.status !== 'completed') continue;
        seen = { startedAt: Date.now(), startRows: checkpoint?.rowsRead ?? 0, checkpoint: undefined };
        this.#seen.set(entity, seen);
        this.#emit({
          type: 'entity:start',
          runId,
          entity,
          resumedFrom: this.#initial.get(entity)?.position ?? null,
          totalRows: undefined,
        });
      }
      if (seen.endedAt !== undefined) continue;
      const before = seen.checkpoint;
      if (checkpoint !== undefined && checkpoint.sequence !== before?.sequence) {
        const rows = checkpoint.rowsRead - (before?.rowsRead ?? checkpoint.rowsRead);
        const seconds = Math.max(0.001, (Date.now() - seen.startedAt) / 1000);
        this.#emit({
          type: 'batch:durable',
          runId,
          entity,
          sequence: checkpoint.sequence,
          rows,
          rowsPerSecond: Math.round((checkpoint.rowsRead - seen.startRows) / seconds),
          totalRows: undefined,
          ...counts(checkpoint),
        });
      }
      seen.checkpoint = checkpoint;
      if (checkpoint?.status === 'completed') {
        seen.endedAt = Date.now();
        this.#emit({
          type: 'entity:end',
          runId,
          entity,
          status: 'completed',
          durationMs: seen.endedAt - seen.startedAt,
          ...counts(checkpoint),
        });
      }
    }
  }

  /**
   * Every pipeline's result: `completed` by its checkpoint, `failed` with its job's error when the job
   * failed for good, `skipped` (dependency failed) when it never started in a failed run, else `aborted`.
   */
  results(
    checkpoints: ReadonlyMap<string, Checkpoint>,
    jobs: ReadonlyMap<string, RunJob>,
    failed: boolean,
    before: ReadonlySet<string>,
  ): EntityResult[] {
    return this.#pipelines.map((entity): EntityResult => {
      const checkpoint = checkpoints.get(entity);
      const seen = this.#seen.get(entity);
      const job = jobs.get(entity);
      // The job's own times (its last attempt) when it ended, else what the polls saw.
      const durationMs =
        job?.startedOn !== undefined && job.completedOn !== undefined
          ? job.completedOn.getTime() - job.startedOn.getTime()
          : seen === undefined
            ? 0
            : (seen.endedAt ?? Date.now()) - seen.startedAt;
      const base = { entity, durationMs, ...counts(checkpoint) };
      if (checkpoint?.status === 'completed')
        return before.has(entity)
          ? { ...base, status: 'skipped', skipReason: 'completed' }
          : { ...base, status: 'completed' };
      if (job?.state === 'failed') return { ...base, status: 'failed', error: jobFailure(entity, job) };
      if (failed && job === undefined) return { ...base, status: 'skipped', skipReason: 'dependency-failed' };
      return { ...base, status: 'aborted' };
    });
  }
}

function counts(checkpoint: Checkpoint | undefined) {
  return {
    rowsRead: checkpoint?.rowsRead ?? 0,
    rowsWritten: checkpoint?.rowsWritten ?? 0,
    rowsRejected: checkpoint?.rowsRejected ?? 0,
    rowsFiltered: checkpoint?.rowsFiltered ?? 0,
  };
}

const REASONS = new Set<string>([
  'connection',
  'authentication',
  'permission',
  'constraint',
  'unique-violation',
  'deadlock',
  'serialization',
  'timeout',
  'rate-limit',
  'invalid-config',
  'invalid-data',
  'not-found',
  'aborted',
  'unknown',
]);

function jobFailure(entity: string, job: RunJob): FerryError {
  const error = job.error ?? { code: 'FERRY_DISTRIBUTED_JOB', message: 'the job failed', reason: 'unknown' };
  return new FerryError(`${error.message} (its job failed for good after ${job.retryCount} retries)`, {
    code: isFerryErrorCode(error.code) ? error.code : 'FERRY_DISTRIBUTED_JOB',
    // The reason decides the exit code (connection: 5), as in a local run.
    reason: REASONS.has(error.reason) ? (error.reason as FerryErrorReason) : 'unknown',
    entity,
    operation: 'distributed.job',
    cause: error,
  });
}
