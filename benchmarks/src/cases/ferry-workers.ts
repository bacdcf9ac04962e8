// The distributed cases' load, as a child process: starts `workers` worker processes (ferry-worker.ts)
// and waits until each can take jobs, then (timed) builds the plan with the table in key-range
// partitions, enqueues one job per partition on pg-boss and follows the run to its end
// (`runDistributed`, what `ferry run --distributed` does). Reports the rows the workers wrote, the wall
// time, and the CPU of this process and every worker together.

import { spawn } from 'node:child_process';
import { JobQueue, resolveDistributedOptions, runDistributed } from '@ferry/adapters/distributed';
import { withExactTypes } from '@ferry/adapters/knex';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import knex from 'knex';
import pg from 'pg';
import { RESULT_MARKER, WORKER_READY, childArgs, startMeasure, type ChildResult } from '../child-report.js';
import { childCommand } from './child-command.js';
import { childUrls, type ChildArgs } from './child-env.js';
import { childTarget, ferryPipeline } from './ferry-pipeline.js';

interface Worker {
  readonly ready: Promise<void>;
  readonly result: Promise<ChildResult>;
}

/** Starts one worker; `result` rejects, with its last stderr lines, when it exits without a result. */
function startWorker(args: string, onFailed: () => void): Worker {
  const child = spawn(process.execPath, [...childCommand('ferry-worker.ts'), args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes(WORKER_READY)) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const result = new Promise<ChildResult>((resolve, reject) =>
    child.once('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (code === 0 && line !== undefined)
        return resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as ChildResult);
      onFailed();
      markReady();
      reject(new Error(`worker exit ${String(code)}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    }),
  );
  result.catch(() => undefined);
  return { ready, result };
}

const args = childArgs<
  ChildArgs & { readonly runId: string; readonly workers: number; readonly partitions: number }
>();
const urls = childUrls();
const stop = new AbortController();
const workers = Array.from({ length: args.workers }, () => startWorker(process.argv[2]!, () => stop.abort()));
await Promise.all(workers.map((w) => w.ready));
const db = knex(withExactTypes({ client: 'mysql2', connection: urls.source, pool: { min: 0, max: 2 } }));
const pool = new pg.Pool({ connectionString: urls.target, max: 4 });
const checkpoints = new PostgresCheckpointStore({ pool });
const settings = resolveDistributedOptions(args.distributed);
const done = startMeasure();
try {
  const target = childTarget(args, pool, checkpoints, args.partitions, args.runId);
  const { plan } = await ferryPipeline(db, target, args.batchSize);
  const queue = await JobQueue.open({ pool, runId: args.runId, settings });
  const result = await runDistributed(plan, { queue, pool, checkpoints, settings, signal: stop.signal });
  await queue.close();
  const children = await Promise.all(workers.map((w) => w.result));
  if (result.status !== 'completed') throw new Error(`distributed run ${result.status}`);
  const rows = result.entities.reduce((sum, e) => sum + e.rowsWritten, 0);
  const perWorker = children.map((c) => ({
    rows: c.rows,
    cpuS: c.cpuMs / 1000,
    peakRssMb: Math.round(c.peakRssKb / 1024),
    jobs: c.details?.['jobs'],
  }));
  done(rows, { workers: args.workers, partitions: args.partitions, runId: args.runId, perWorker }, children);
} finally {
  await db.destroy();
  await pool.end();
}
