// One worker of the distributed cases, as a child process: takes the run's jobs from pg-boss (in the
// target database, beside the checkpoints) and runs each pipeline with the same plan the coordinator
// built (knex source on MariaDB, mapping, COPY sink, rows and checkpoint in one transaction), until the
// run is complete. Prints a ready line once connected, then its result line (its own CPU and rows).

import { JobQueue, resolveDistributedOptions, workDistributed } from '@ferry/adapters/distributed';
import { withExactTypes } from '@ferry/adapters/knex';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import knex from 'knex';
import pg from 'pg';
import { WORKER_READY, childArgs, startMeasure } from '../child-report.js';
import { childUrls, type ChildArgs } from './child-env.js';
import { childTarget, ferryPipeline } from './ferry-pipeline.js';

const args = childArgs<ChildArgs & { readonly runId: string; readonly partitions: number }>();
const urls = childUrls();
const db = knex(withExactTypes({ client: 'mysql2', connection: urls.source, pool: { min: 0, max: 2 } }));
const pool = new pg.Pool({ connectionString: urls.target, max: 4 });
const checkpoints = new PostgresCheckpointStore({ pool });
const settings = resolveDistributedOptions(args.distributed);
try {
  const queue = await JobQueue.open({ pool, runId: args.runId, settings });
  const done = startMeasure();
  process.stdout.write(`${WORKER_READY}\n`);
  let rows = 0;
  const result = await workDistributed({
    queue,
    pool,
    checkpoints,
    settings,
    plan: async () => {
      const target = childTarget(args, pool, checkpoints, args.partitions, args.runId);
      const { plan } = await ferryPipeline(db, target, args.batchSize);
      return { plan, close: () => Promise.resolve() };
    },
    run: { batchSize: args.batchSize, commitEvery: args.commitEvery, concurrency: 1, retry: { retries: 0 } },
    onJob: (event) => {
      if (event.type === 'job:end' && event.outcome.status === 'completed')
        rows += event.outcome.result.rowsWritten;
    },
  });
  await queue.close();
  if (result.status !== 'completed') throw new Error(`worker ended ${result.status}`);
  done(rows, { jobs: result.jobs });
} finally {
  await db.destroy();
  await pool.end();
}
