// Processes of a distributed run for the tests: the real `ferry run --distributed` and `ferry worker`
// as child processes, each worker's output watched for the jobs it takes (with the time seen), and the
// run's durable progress read from its checkpoint table.

import type { ChildProcess } from 'node:child_process';
import type { SampleO11Options } from '@ferry/adapters/o11';
import { finished, openFixture, spawnFerry, type CliResult, type Fixture } from './cli-harness.js';

/** A started `ferry worker`. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Every `job <pipeline>: taken` line, with `Date.now()` when it arrived. */
  readonly taken: { readonly pipeline: string; readonly at: number }[];
  /** Every line of a job that failed (`job <pipeline>: <message> [CODE] (the job is retried)`). */
  readonly failures: string[];
  /** Every `job <pipeline>: completed` line, likewise. */
  readonly completed: { readonly pipeline: string; readonly at: number }[];
  /** When it said it was taking jobs (started, config read, lock and queue open), if it did. */
  readyAt(): number | undefined;
}

/** Starts `ferry worker` in the fixture's folder. */
export function startWorker(fixture: Pick<Fixture, 'dir' | 'env'>): WorkerProcess {
  const child = spawnFerry(['worker'], { cwd: fixture.dir, env: fixture.env });
  const taken: { pipeline: string; at: number }[] = [];
  const completed: { pipeline: string; at: number }[] = [];
  const failures: string[] = [];
  let ready: number | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (ready === undefined && chunk.toString().includes('taking jobs')) ready = Date.now();
  });
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.endsWith('(the job is retried)')) failures.push(line);
      const match = / job (\S+): (taken|completed)$/.exec(line);
      if (match !== null)
        (match[2] === 'taken' ? taken : completed).push({ pipeline: match[1]!, at: Date.now() });
    }
  });
  return { child, done: finished(child), taken, completed, failures, readyAt: () => ready };
}

/** Starts the coordinator, `ferry run --distributed`. */
export function startCoordinator(fixture: Pick<Fixture, 'dir' | 'env'>): {
  child: ChildProcess;
  done: Promise<CliResult>;
} {
  const child = spawnFerry(['run', '--distributed'], { cwd: fixture.dir, env: fixture.env });
  return { child, done: finished(child) };
}

/** Rows read, durably, over every checkpoint of the fixture's run. */
export async function durableRows(fixture: Fixture): Promise<number> {
  const result = await fixture.target
    .query<{ n: string }>(
      `SELECT COALESCE(SUM(rows_read), 0) AS n FROM ${fixture.stateSchema}.checkpoints WHERE run_id = $1`,
      [String(fixture.config.runId)],
    )
    .catch(() => undefined); // the table is made by the first plan
  return Number(result?.rows[0]?.n ?? 0);
}

/** Waits until `probe` is true, polling every 200 ms; fails after `ms`. */
export async function until(
  probe: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The job a worker holds now: the last it took, unless it completed it since. */
export function heldJob(worker: WorkerProcess): string | undefined {
  const last = worker.taken.at(-1);
  if (last === undefined) return undefined;
  return worker.completed.some((c) => c.pipeline === last.pipeline && c.at >= last.at)
    ? undefined
    : last.pipeline;
}

/**
 * A fixture (see `openFixture`) whose config has `distributed` with pg-boss's tables in a schema of
 * the fixture's own, `<state schema>_jobs`, dropped with the fixture.
 */
export async function openDistributedFixture(
  rowsPerEntity: number,
  extra: Record<string, unknown> & { readonly distributed: Record<string, unknown> },
  sample: Omit<SampleO11Options, 'rowsPerEntity'>,
): Promise<Fixture> {
  const fixture = await openFixture(rowsPerEntity, extra, sample);
  // The fixture's config object is the one its writeConfig writes: later rewrites keep the schema.
  fixture.config['distributed'] = { ...extra.distributed, schema: `${fixture.stateSchema}_jobs` };
  await fixture.writeConfig();
  return {
    ...fixture,
    async drop() {
      await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.stateSchema}_jobs CASCADE`);
      await fixture.drop();
    },
  };
}
