// Processes of a distributed run for the tests: the real `ferry run --distributed` and `ferry worker`
// as child processes, each worker's output watched for the jobs it takes (with the time seen), and the
// run's durable progress read from its checkpoint table.

import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { cycleShape, type SampleO11Options } from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  checkTarget,
  finished,
  openFixture,
  physicalTable,
  sampleEntityEqual,
  spawnFerry,
  type CliResult,
  type Fixture,
} from './cli-harness.js';

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
  return watchWorker(spawnFerry(['worker'], { cwd: fixture.dir, env: fixture.env }));
}

/** Watches a started `ferry worker` (here, or on a namespace host) for the jobs it takes and ends. */
export function watchWorker(child: ChildProcess): WorkerProcess {
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

/**
 * The acceptance tests' fixture (`cli-distributed`, `hosts/cli-distributed-hosts`): the O11 sample
 * with the Client ⇄ Invoice cycle, every entity in 3 key ranges, a 4 s job expiry. 110,000 rows of
 * Product and Order make about 1.05M source rows in the run's entities (100,000 made 955,024).
 */
export function openAcceptanceFixture(seed: number): Promise<Fixture> {
  return openDistributedFixture(
    110_000,
    {
      partitions: 3,
      batchSize: 2000,
      commitEvery: 20_000,
      distributed: { expireSeconds: 4, retryDelaySeconds: 0, retryLimit: 100, pollSeconds: 0.5 },
    },
    { extra: cycleShape, seed },
  );
}

/** What {@link killWorkersAtRandom} did. */
export interface Kills {
  readonly kills: number;
  /** Every worker process started, the first ones and the restarted ones. */
  readonly all: readonly WorkerProcess[];
  /** The kills that cut a job in the middle: the job the worker held (by its output) and when. */
  readonly cut: readonly { readonly pipeline: string; readonly at: number }[];
}

/**
 * SIGKILLs a random one of `workers` at `kills` seeded random moments, each 0.6–1.6 s after the last
 * and only once the checkpoints advanced since it (so every kill lands on work in progress), and puts
 * `restart(index)` in its place, until `ended()` says the run is over. `workers` is updated in place.
 */
export async function killWorkersAtRandom(options: {
  readonly fixture: Fixture;
  readonly workers: WorkerProcess[];
  readonly kills: number;
  readonly random: () => number;
  ended(): boolean;
  restart(index: number): WorkerProcess;
}): Promise<Kills> {
  const { workers, random } = options;
  const all = [...workers];
  const cut: { pipeline: string; at: number }[] = [];
  let kills = 0;
  let last = 0;
  while (kills < options.kills && !options.ended()) {
    await new Promise((resolve) => setTimeout(resolve, 600 + random() * 1000));
    const now = await durableRows(options.fixture);
    if (now <= last || options.ended()) continue;
    last = now;
    const index = Math.floor(random() * workers.length);
    const held = heldJob(workers[index]!);
    workers[index]!.child.kill('SIGKILL');
    if (held !== undefined) cut.push({ pipeline: held, at: Date.now() });
    await workers[index]!.done;
    kills += 1;
    workers[index] = options.restart(index);
    all.push(workers[index]);
  }
  return { kills, all, cut };
}

/**
 * For each job a kill cut, how long until a worker took it again (ms), by the workers' output; `done`
 * when none did: the killed worker completed it in the instant before the kill (its line not printed
 * yet). Prints them; expects at least one takeover.
 */
export function reportTakeovers({ cut, all }: Kills, expireSeconds: number): (number | 'done')[] {
  const takeovers = cut.map(({ pipeline, at }) => {
    const next = all.flatMap((w) => w.taken).filter((t) => t.pipeline === pipeline && t.at > at);
    return next.length === 0 ? ('done' as const) : Math.min(...next.map((t) => t.at)) - at;
  });
  const shown = takeovers.map((ms) => (ms === 'done' ? 'done' : `${(ms / 1000).toFixed(1)} s`));
  console.log(
    `kills that cut a job: ${cut.length}; taken over after ${shown.join(', ')} (expireSeconds ${expireSeconds})`,
  );
  expect(takeovers.filter((ms) => ms !== 'done').length).toBeGreaterThan(0);
  return takeovers;
}

/**
 * After a distributed run of {@link openAcceptanceFixture}'s fixture: `ferry verify` finds every
 * entity's count and checksum equal to the source; `status` says completed, every job completed and no
 * process left; in each big table every source row was read once and written, rejected or filtered
 * once, and the table holds the written rows with no key twice; ≥ 1M source rows were read. And apart
 * from the mapping code `verify` shares with the run: the sample's generated entities compared row by
 * row, by key, with the rows their generators produced (`checkTarget`; the cycle's Client and Invoice
 * are not generated by it and rest on `verify` and the counts).
 */
export async function expectMigratedOnce(
  fixture: Fixture,
  cli: (...args: string[]) => Promise<CliResult>,
): Promise<void> {
  const verify = await cli('verify');
  expect(verify.code, verify.stdout + verify.stderr).toBe(ExitCode.ok);
  const checks = await checkTarget(fixture);
  expect(checks).toEqual(checks.map(sampleEntityEqual));

  const status = JSON.parse((await cli('--json', 'status')).stdout) as {
    state: string;
    entities: {
      entity: string;
      rowsRead: number;
      rowsWritten: number;
      rowsRejected: number;
      rowsFiltered: number;
    }[];
    distributed: { jobs: Record<string, number>; processes: unknown[] };
  };
  expect(status.state).toBe('completed');
  expect(status.distributed.jobs).toMatchObject({ created: 0, retry: 0, active: 0, failed: 0 });
  expect(status.distributed.processes).toEqual([]);

  // Nothing doubled, nothing lost in the big tables: every source row read once and written,
  // rejected or filtered once (the generated mapping rejects orders of the deleted static status),
  // and the target holds the written rows with no key twice.
  for (const [name, table] of [
    ['Sales.Order', 'order'],
    ['Sales.OrderLine', 'order_line'],
    ['Catalog.Product', 'product'],
    ['Sales.Invoice', 'invoice'],
    ['Sales.Client', 'client'],
  ] as const) {
    const line = status.entities.find((e) => e.entity === name)!;
    const [[source]] = (await fixture.source.raw(
      `SELECT COUNT(*) AS n FROM ${await physicalTable(fixture.source, name.split('.')[1]!)}`,
    )) as [[{ n: number }]];
    expect(line.rowsRead, name).toBe(Number(source.n));
    expect(line.rowsWritten + line.rowsRejected + line.rowsFiltered, name).toBe(line.rowsRead);
    const { rows } = await fixture.target.query<{ n: number; d: number }>(
      `SELECT COUNT(*)::int AS n, COUNT(DISTINCT id)::int AS d FROM ${fixture.targetSchema}."${table}"`,
    );
    expect(rows[0], name).toEqual({ n: line.rowsWritten, d: line.rowsWritten });
  }
  // Source rows of the run (a second pass reads its entity again: not counted twice).
  const read = status.entities
    .filter((e) => !e.entity.includes('#pass2'))
    .reduce((n, e) => n + e.rowsRead, 0);
  console.log(`source rows migrated: ${read}`);
  expect(read).toBeGreaterThanOrEqual(1_000_000);
}
