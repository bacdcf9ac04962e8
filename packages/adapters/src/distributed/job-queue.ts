// A run's jobs on pg-boss, in the state database: one queue per run, one job per pipeline. pg-boss
// does the queueing (insert, fetch with SKIP LOCKED, retry, expiry by its maintenance); this class only
// names the jobs, borrows the caller's pool (pg-boss's `db` option), and adds the one thing pg-boss 10
// lacks, a heartbeat: a live worker moves its job's `started_on` forward, so a short expiry retries
// the job of a killed worker in seconds without expiring the long job of a live one.

import { setTimeout as delay } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import type { PgQueryable } from '../postgres/pg-driver.js';
import type { ResolvedDistributedOptions } from './distributed-options.js';
import { pipelineJobId, runQueueName } from './job-names.js';

/** A job as a worker holds it: which pipeline, and which entities the coordinator planned. */
export interface PipelineJob {
  readonly id: string;
  /** The pipeline name, e.g. `Sales.Order[2/4]` or `Catalog.Category#pass2`. */
  readonly pipeline: string;
  /** The entities the run was planned with (`run -e`); `undefined` for every entity. */
  readonly entities: readonly string[] | undefined;
}

/** Options of {@link JobQueue.open}. */
export interface JobQueueOptions {
  /** A pool on the state database (the target's by default); pg-boss runs its queries on it. */
  readonly pool: PgQueryable;
  readonly runId: string;
  readonly settings: ResolvedDistributedOptions;
  /** pg-boss's background errors (maintenance that failed); default: ignored, retried next time. */
  readonly onError?: (error: Error) => void;
}

/**
 * Creates the run's queue unless it exists. pg-boss 10's `createQueue` attaches a partition to its job
 * table, and two processes doing it at once can deadlock (PostgreSQL resolves it by failing one): the
 * one that failed looks again and tries again.
 */
async function createQueueOnce(
  boss: PgBoss,
  name: string,
  settings: ResolvedDistributedOptions,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await boss.getQueue(name)) !== null) return;
    try {
      await boss.createQueue(name, {
        name,
        policy: 'standard',
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        expireInSeconds: settings.expireSeconds,
      });
      return;
    } catch (error) {
      if (attempt >= 5 || (error as { code?: unknown }).code !== '40P01') throw error;
      await delay(100 + Math.random() * 400);
    }
  }
}

/** The job data Ferry stores (no row values, no credentials). */
interface JobData {
  readonly pipeline: string;
  readonly entities: readonly string[] | null;
}

/** A run's queue on a started pg-boss. Close it with {@link close}. */
export class JobQueue {
  readonly name: string;
  readonly runId: string;
  readonly #boss: PgBoss;
  readonly #pool: PgQueryable;
  readonly #schema: string;

  private constructor(boss: PgBoss, options: JobQueueOptions) {
    this.#boss = boss;
    this.#pool = options.pool;
    this.#schema = options.settings.schema;
    this.runId = options.runId;
    this.name = runQueueName(options.runId);
  }

  /**
   * Starts pg-boss on the pool (creating or migrating its schema) and creates the run's queue with
   * the settings' expiry and retries. Maintenance (expiring jobs) runs every third of the expiry.
   */
  static async open(options: JobQueueOptions): Promise<JobQueue> {
    const { settings, pool } = options;
    const boss = new PgBoss({
      // pg's own result as is: pg-boss runs some scripts of several statements (an array of results).
      db: {
        executeSql: (text: string, values: unknown[]) =>
          pool.query(text, values) as unknown as Promise<{ rows: unknown[] }>,
      },
      schema: settings.schema,
      schedule: false,
      maintenanceIntervalSeconds: Math.max(1, Math.floor(settings.expireSeconds / 3)),
    });
    boss.on('error', (error: Error) => options.onError?.(error));
    await boss.start();
    const queue = new JobQueue(boss, options);
    await createQueueOnce(boss, queue.name, settings);
    return queue;
  }

  /**
   * Sends one job per pipeline (id from {@link pipelineJobId}); a job that already exists is left as
   * it is (pg-boss's `ON CONFLICT DO NOTHING`). Returns how many were new.
   */
  async enqueue(pipelines: readonly string[], entities: readonly string[] | undefined): Promise<number> {
    let created = 0;
    for (const pipeline of pipelines) {
      const data: JobData = { pipeline, entities: entities === undefined ? null : [...entities] };
      const id = await this.#boss.send(this.name, data, { id: pipelineJobId(this.runId, pipeline) });
      if (id !== null) created += 1;
    }
    return created;
  }

  /** Takes the next available job (state `active` from now), or `undefined` when none is available. */
  async take(): Promise<PipelineJob | undefined> {
    const [job] = await this.#boss.fetch<JobData>(this.name);
    if (job === undefined) return undefined;
    return { id: job.id, pipeline: job.data.pipeline, entities: job.data.entities ?? undefined };
  }

  /** Renews a held job's expiry; `false` when the job is no longer active (expired, completed). */
  async heartbeat(job: PipelineJob): Promise<boolean> {
    const result = await this.#pool.query(
      `UPDATE ${this.#schema}.job SET started_on = now() WHERE name = $1 AND id = $2 AND state = 'active'`,
      [this.name, job.id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** Marks the job completed; a job no longer active (completed by another worker) is left as it is. */
  async complete(job: PipelineJob): Promise<void> {
    await this.#boss.complete(this.name, job.id);
  }

  /**
   * Fails the job with the error's code and message (never row values): pg-boss retries it after
   * `retryDelaySeconds`, or fails it for good after `retryLimit` retries.
   */
  async fail(
    job: PipelineJob,
    error: { readonly code: string; readonly message: string; readonly reason?: string },
  ): Promise<void> {
    await this.#boss.fail(this.name, job.id, {
      code: error.code,
      message: error.message,
      reason: error.reason ?? 'unknown',
    });
  }

  /** Offers the run's jobs that failed for good once more (a new `run --distributed` of the run). */
  async retryFailed(): Promise<number> {
    const failed = await this.#pool.query(
      `SELECT id FROM ${this.#schema}.job WHERE name = $1 AND state = 'failed'`,
      [this.name],
    );
    const ids = failed.rows.map((row) => String(row.id));
    if (ids.length > 0) await this.#boss.retry(this.name, ids);
    return ids.length;
  }

  /** Stops pg-boss (its maintenance timers); the pool stays the caller's. */
  async close(): Promise<void> {
    await this.#boss.stop({ graceful: false, close: false, wait: true });
  }
}
