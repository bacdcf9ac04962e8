// A migration's pipelines as jobs on pg-boss, on real databases: the sample O11 database (with its
// self reference and the Client ⇄ Invoice cycle) in MariaDB, migrated into PostgreSQL with every
// entity split into key ranges. The plan's dependencies hold the order across workers; a job sent
// twice exists once; two workers in this process share the run and the target equals the source (by
// key, and verifyMigration); a job delivered again after it completed writes nothing, waits while
// another session holds its pipeline, a stopped worker gives its job back for a retry, and a job
// offered before its dependencies completed is refused.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePartitionId } from '@ferry/core';
import type { Checkpoint, Plan } from '@ferry/core';
import type { O11Catalog } from '@ferry/mapping';
import { createSampleO11Database, cycleShape, discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions } from '@ferry/adapters/migration';
import {
  enqueueReady,
  JobQueue,
  pipelineJobId,
  pipelineLock,
  readRunJobs,
  readyPipelines,
  resolveDistributedOptions,
  runPipelineJob,
  workDistributed,
} from '@ferry/adapters/distributed';
import type { PipelineJobContext, ResolvedDistributedOptions } from '@ferry/adapters/distributed';
import { mariadbDatabase, type TestDatabase } from './fixtures/test-databases.js';
import {
  openTarget,
  sampleMapping,
  sampleOdcUser,
  sampleUserMap,
  type TestTarget,
} from './fixtures/migration-setup.js';
import { checkSampleTarget, sampleEntityEqual } from './fixtures/sample-target-check.js';

const ROWS = 300;
const SEED = 11;
const RUN = 'dist';

let source: TestDatabase;
let target: TestTarget;
let catalog: O11Catalog;
let options: O11MigrationOptions;
let checkpoints: PostgresCheckpointStore;
let settings: ResolvedDistributedOptions;
let plan: Plan;
const queues: JobQueue[] = [];

async function openQueue(runId = RUN): Promise<JobQueue> {
  const queue = await JobQueue.open({ pool: target.pool, runId, settings });
  queues.push(queue);
  return queue;
}

function context(queue: JobQueue, runOptions: O11MigrationOptions = options): PipelineJobContext {
  return {
    queue,
    pool: target.pool,
    checkpoints,
    settings,
    plan: async () => ({ plan: (await o11MigrationPlan(runOptions)).plan, close: () => Promise.resolve() }),
    run: { retry: { retries: 0 } },
    signal: new AbortController().signal,
  };
}

const byEntity = async (runId = RUN): Promise<Map<string, Checkpoint>> =>
  new Map((await checkpoints.list(runId)).map((c) => [c.entity, c]));

beforeAll(async () => {
  [source, target] = await Promise.all([mariadbDatabase(), openTarget(12)]);
  await createSampleO11Database(source.knex, { rowsPerEntity: ROWS, seed: SEED, extra: cycleShape });
  catalog = await discoverO11Catalog(source.knex);
  checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema });
  settings = resolveDistributedOptions({
    schema: `${target.ferrySchema}_jobs`,
    expireSeconds: 3,
    retryDelaySeconds: 0,
    pollSeconds: 0.2,
  });
  options = {
    source: { knex: source.knex },
    catalog,
    mapping: sampleMapping(catalog),
    target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: true },
    checkpoints,
    userMap: await sampleUserMap(source.knex),
    batchSize: 40,
    partitions: { default: 2, entities: { 'Sales.Order': 3 } },
    runId: RUN,
  };
  plan = (await o11MigrationPlan(options)).plan;
}, 120_000);

afterAll(async () => {
  for (const queue of queues) await queue.close();
  await target?.pool.query(`DROP SCHEMA IF EXISTS ${settings.schema} CASCADE`);
  await target?.drop();
  await source?.drop();
});

describe.sequential('a distributed run on pg-boss', () => {
  test('the plan holds the order across workers: every range of a parent, pass 2 after its whole cycle', () => {
    const deps = (name: string): readonly string[] =>
      plan.entities.find((p) => p.entity === name)!.dependsOn ?? [];
    const ranges = (of: string): string[] =>
      plan.entities.map((p) => p.entity).filter((n) => parsePartitionId(n)?.of === of);
    expect(ranges('Sales.Order')).toHaveLength(3);
    for (const line of ranges('Sales.OrderLine'))
      expect(deps(line)).toEqual(expect.arrayContaining(ranges('Sales.Order')));
    for (const pass2 of ranges('Catalog.Category#pass2'))
      expect(deps(pass2)).toEqual(expect.arrayContaining(ranges('Catalog.Category')));
    for (const pass2 of ranges('Sales.Client#pass2'))
      expect(deps(pass2)).toEqual(
        expect.arrayContaining([...ranges('Sales.Client'), ...ranges('Sales.Invoice')]),
      );
    const first = readyPipelines(plan, new Set());
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((name) => deps(name).length === 0)).toBe(true);
    expect(first.some((name) => name.includes('#pass2') || name.startsWith('Sales.OrderLine'))).toBe(false);
  });

  test('the ready jobs are sent once, however often they are sent', async () => {
    const queue = await openQueue();
    const sent = await enqueueReady(queue, plan, checkpoints, undefined);
    expect(sent).toBe(readyPipelines(plan, new Set()).length);
    expect(await enqueueReady(queue, plan, checkpoints, undefined)).toBe(0);
    const jobs = (await readRunJobs(target.pool, settings.schema, RUN))!;
    expect(jobs.map((j) => j.pipeline).sort()).toEqual(readyPipelines(plan, new Set()).sort());
    expect(jobs.every((j) => j.state === 'created')).toBe(true);
  });

  test('two workers share the run; every pipeline is completed once and the target equals the source', async () => {
    const [a, b] = await Promise.all([openQueue(), openQueue()]);
    const results = await Promise.all([workDistributed(context(a)), workDistributed(context(b))]);
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(results[0].jobs + results[1].jobs).toBe(plan.entities.length);
    expect(results.every((r) => r.jobs > 0)).toBe(true);
    const jobs = (await readRunJobs(target.pool, settings.schema, RUN))!;
    expect(jobs).toHaveLength(plan.entities.length);
    expect(jobs.every((j) => j.state === 'completed')).toBe(true);
    const saved = await byEntity();
    expect(plan.entities.every((p) => saved.get(p.entity)?.status === 'completed')).toBe(true);
    const checks = await checkSampleTarget({
      pool: target.pool,
      schema: target.schema,
      catalog,
      mapping: sampleMapping(catalog),
      seed: SEED,
      rowsPerEntity: ROWS,
      user: sampleOdcUser,
    });
    expect(checks).toEqual(checks.map(sampleEntityEqual));
    const report = await verifyMigration(options);
    expect(report.entities.filter((e) => !e.ok)).toEqual([]);
  }, 180_000);

  test('a job delivered again after it completed writes nothing, and waits while its pipeline is held', async () => {
    const queue = await openQueue();
    const name = 'Sales.Order[2/3]';
    const before = (await byEntity()).get(name)!;
    const rows = await target.pool.query(`SELECT count(*)::int AS n FROM ${target.schema}."order"`);
    // The job delivered once more: its completed row removed and the job sent and taken again.
    await target.pool.query(`DELETE FROM ${settings.schema}.job WHERE name = $1 AND id = $2`, [
      queue.name,
      pipelineJobId(RUN, name),
    ]);
    expect(await queue.enqueue([name], undefined)).toBe(1);
    const again = await queue.take();
    expect(again).toEqual({ id: pipelineJobId(RUN, name), pipeline: name, entities: undefined });
    const held = await pipelineLock(target.pool, RUN, name, new AbortController().signal);
    const started = Date.now();
    const outcome = runPipelineJob(context(queue), again!);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await held.release();
    const ended = await outcome;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(ended.status, JSON.stringify(ended)).toBe('completed');
    expect(ended.status === 'completed' && ended.result.skipReason).toBe('completed');
    expect((await byEntity()).get(name)).toEqual(before);
    expect((await target.pool.query(`SELECT count(*)::int AS n FROM ${target.schema}."order"`)).rows).toEqual(
      rows.rows,
    );
    const jobs = (await readRunJobs(target.pool, settings.schema, RUN))!;
    expect(jobs.find((j) => j.pipeline === name)?.state).toBe('completed');
  }, 60_000);

  test('a worker stopped (Ctrl-C) rolls its job back and gives it back for a retry', async () => {
    const runId = 'dist-stop';
    // Tables of its own: the run above filled the test's (copy mode would find its keys there).
    const schema = `${target.schema}_stop`;
    const stop = { ...options, runId, partitions: 1, target: { ...options.target, schema } };
    const queue = await openQueue(runId);
    const stopPlan = (await o11MigrationPlan(stop)).plan;
    expect(await enqueueReady(queue, stopPlan, checkpoints, undefined)).toBeGreaterThan(0);
    const job = (await queue.take())!;
    const stopped = new AbortController();
    stopped.abort();
    const outcome = await runPipelineJob({ ...context(queue, stop), signal: stopped.signal }, job);
    expect(outcome.status).toBe('aborted');
    const after = (await readRunJobs(target.pool, settings.schema, runId))!.find(
      (j) => j.pipeline === job.pipeline,
    );
    expect(after).toMatchObject({ state: 'retry', error: { code: 'FERRY_ABORTED' } });
    expect((await byEntity(runId)).get(job.pipeline)?.status).not.toBe('completed');
    // Offered again, it runs to completion.
    const again = (await queue.take())!;
    expect(again.pipeline).toBe(job.pipeline);
    const second = await runPipelineJob(context(queue, stop), again);
    expect(second.status, JSON.stringify(second)).toBe('completed');
    expect((await byEntity(runId)).get(job.pipeline)?.status).toBe('completed');
    await target.pool.query(`DROP SCHEMA ${schema} CASCADE`);
  }, 60_000);

  test('a job offered before its dependencies completed is refused and writes nothing', async () => {
    const runId = 'dist-early';
    const early = { ...options, runId, partitions: 1 };
    const queue = await openQueue(runId);
    const name = 'Sales.OrderLine';
    const outcome = await runPipelineJob(context(queue, early), {
      id: pipelineJobId(runId, name),
      pipeline: name,
      entities: undefined,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.error.code).toBe('FERRY_DISTRIBUTED_JOB');
    expect(outcome.status === 'failed' && outcome.error.message).toMatch(
      /offered before .*Sales\.Order.* completed/,
    );
    expect((await byEntity(runId)).has(name)).toBe(false);
  }, 60_000);
});
