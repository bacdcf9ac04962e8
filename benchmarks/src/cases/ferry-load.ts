// Ferry's load as a child process: knex source on MariaDB → PostgreSQL sink (COPY or upsert) with the
// PostgresCheckpointStore on the same database, so rows and checkpoint commit in one transaction. With
// `abortAt` it aborts once that fraction of the rows is durable (the first half of the resume case).
// With `partitions` the entity runs as that many key ranges at once (pools sized to match).

import { parsePartitionId, run, type RunEvent } from '@ferry/core';
import { withExactTypes } from '@ferry/adapters/knex';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import knex from 'knex';
import pg from 'pg';
import { childArgs, startMeasure } from '../child-report.js';
import { childUrls, type ChildArgs } from './child-env.js';
import { FERRY_ENTITY, childTarget, ferryPipeline } from './ferry-pipeline.js';

const args = childArgs<ChildArgs>();
const urls = childUrls();
const done = startMeasure();
const partitions = args.partitions ?? 1;
const db = knex(
  withExactTypes({
    client: 'mysql2',
    connection: urls.source,
    pool: { min: 0, max: Math.max(2, partitions) },
  }),
);
const pool = new pg.Pool({ connectionString: urls.target, max: Math.max(4, partitions + 2) });
const checkpoints = new PostgresCheckpointStore({ pool });
const runId = args.runId ?? `bench-${Date.now()}`;
const controller = new AbortController();

try {
  const ours = (entity: string): boolean =>
    entity === FERRY_ENTITY || parsePartitionId(entity)?.of === FERRY_ENTITY;
  const writtenBefore = (await checkpoints.list(runId))
    .filter((c) => ours(c.entity))
    .reduce((sum, c) => sum + c.rowsWritten, 0);
  const pipeline = await ferryPipeline(
    db,
    childTarget(args, pool, checkpoints, partitions, runId),
    args.batchSize,
  );
  // --in-flight overrides the read-ahead of batches the sink's transaction has not taken yet.
  const inFlight = args.maxInFlight;
  const plan =
    inFlight === undefined
      ? pipeline.plan
      : { entities: pipeline.plan.entities.map((e) => ({ ...e, maxInFlight: inFlight })) };
  // Totals and rows written per pipeline (one, or one per key range), for abort-at-a-fraction.
  const totals = new Map<string, number>();
  const written = new Map<string, number>();
  const sum = (map: ReadonlyMap<string, number>): number => [...map.values()].reduce((a, b) => a + b, 0);
  // Every transaction the runner commits saves one checkpoint; each pipeline's `completed` marker is one more.
  let saves = 0;
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'entity:start' && event.totalRows !== undefined)
      totals.set(event.entity, event.totalRows);
    if (event.type === 'checkpoint:saved') saves += 1;
    if (args.abortAt === undefined || event.type !== 'batch:durable') return;
    written.set(event.entity, event.rowsWritten);
    if (totals.size === partitions && sum(written) >= sum(totals) * args.abortAt)
      controller.abort(new Error('benchmark: abort at half'));
  };
  const result = await run(plan, {
    runId,
    checkpoints,
    batchSize: args.batchSize,
    commitEvery: args.commitEvery,
    concurrency: partitions,
    signal: controller.signal,
    onEvent,
    retry: { retries: 0 },
  });
  const expected = args.abortAt === undefined ? 'completed' : 'aborted';
  if (result.status !== expected) {
    const error = result.entities.find((e) => e.error !== undefined)?.error?.message ?? '';
    throw new Error(`run ${result.status} (expected ${expected}): ${error}`);
  }
  const writtenNow = result.entities.reduce((total, e) => total + e.rowsWritten, 0);
  done(writtenNow - writtenBefore, {
    runId,
    status: result.status,
    partitions,
    resumedFromRows: writtenBefore,
    commits: result.status === 'completed' ? saves - result.entities.length : saves,
    ...pipeline.details,
  });
} finally {
  await db.destroy();
  await pool.end();
}
