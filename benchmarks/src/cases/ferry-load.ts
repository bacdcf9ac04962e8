// Ferry's load as a child process: knex source on MariaDB → PostgreSQL sink (COPY or upsert) with the
// PostgresCheckpointStore on the same database, so rows and checkpoint commit in one transaction. With
// `abortAt` it aborts once that fraction of the rows is durable (the first half of the resume case).

import { run, type RunEvent } from '@ferry/core';
import { withExactTypes } from '@ferry/adapters/knex';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import knex from 'knex';
import pg from 'pg';
import { childArgs, startMeasure } from '../child-report.js';
import { childUrls, type ChildArgs } from './child-env.js';
import { FERRY_ENTITY, ferryPipeline } from './ferry-pipeline.js';

const args = childArgs<ChildArgs>();
const urls = childUrls();
const done = startMeasure();
const db = knex(withExactTypes({ client: 'mysql2', connection: urls.source, pool: { min: 0, max: 2 } }));
const pool = new pg.Pool({ connectionString: urls.target, max: 4 });
const checkpoints = new PostgresCheckpointStore({ pool });
const runId = args.runId ?? `bench-${Date.now()}`;
const controller = new AbortController();

try {
  const before = await checkpoints.load(runId, FERRY_ENTITY);
  const pipeline = await ferryPipeline(
    db,
    {
      pool,
      schema: args.schema,
      table: args.table,
      mode: args.mode ?? 'copy',
      commitEvery: args.commitEvery,
      checkpoints,
    },
    args.batchSize,
  );
  // --in-flight overrides the read-ahead of batches the sink's transaction has not taken yet.
  const inFlight = args.maxInFlight;
  const plan =
    inFlight === undefined
      ? pipeline.plan
      : { entities: pipeline.plan.entities.map((e) => ({ ...e, maxInFlight: inFlight })) };
  let total: number | undefined;
  // Every transaction the runner commits saves one checkpoint; the `completed` marker is one more.
  let saves = 0;
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'entity:start') total = event.totalRows;
    if (event.type === 'checkpoint:saved') saves += 1;
    if (args.abortAt === undefined || event.type !== 'batch:durable' || total === undefined) return;
    if (event.rowsWritten >= total * args.abortAt) controller.abort(new Error('benchmark: abort at half'));
  };
  const result = await run(plan, {
    runId,
    checkpoints,
    batchSize: args.batchSize,
    commitEvery: args.commitEvery,
    signal: controller.signal,
    onEvent,
    retry: { retries: 0 },
  });
  const entity = result.entities[0];
  const expected = args.abortAt === undefined ? 'completed' : 'aborted';
  if (result.status !== expected) {
    throw new Error(`run ${result.status} (expected ${expected}): ${entity?.error?.message ?? ''}`);
  }
  const written = (entity?.rowsWritten ?? 0) - (before?.rowsWritten ?? 0);
  done(written, {
    runId,
    status: result.status,
    resumedFromRows: before?.rowsWritten ?? 0,
    commits: result.status === 'completed' ? saves - 1 : saves,
    ...pipeline.details,
  });
} finally {
  await db.destroy();
  await pool.end();
}
