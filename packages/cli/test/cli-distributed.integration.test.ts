// Issue 11's acceptance: a ≥1M-row O11 migration (the sample with its self reference and the
// Client ⇄ Invoice cycle, MariaDB → PostgreSQL, every entity in 3 key ranges) run by 3 real
// `ferry worker` processes and followed by `ferry run --distributed`, while workers are SIGKILLed at
// 10 seeded random moments (each after the checkpoints advanced) and started again. Then `ferry verify`
// finds every entity's count and checksum equal to the source, each big table holds its source's rows
// with no key twice, every job is completed and no worker is left.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleShape } from '@ferry/adapters/o11';
import { seededRandom } from '@ferry/adapters/http/testing';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, physicalTable, type Fixture } from './cli-harness.js';
import {
  durableRows,
  heldJob,
  openDistributedFixture,
  startCoordinator,
  startWorker,
  type WorkerProcess,
} from './distributed-harness.js';

const ROWS_PER_ENTITY = 110_000;
const KILLS = 10;
const WORKERS = 3;

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  const started = Date.now();
  fixture = await openDistributedFixture(
    ROWS_PER_ENTITY,
    {
      partitions: 3,
      batchSize: 2000,
      commitEvery: 20_000,
      distributed: { expireSeconds: 4, retryDelaySeconds: 0, retryLimit: 100, pollSeconds: 0.5 },
    },
    { extra: cycleShape, seed: 23 },
  );
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  console.log(`fixture: ${Math.round((Date.now() - started) / 1000)} s`);
}, 300_000);
afterAll(async () => fixture?.drop());

describe('a distributed run under SIGKILL', () => {
  it('3 workers, 10 kills: the target equals the source, nothing doubled', async () => {
    const started = Date.now();
    const coordinator = startCoordinator(fixture);
    const workers: WorkerProcess[] = Array.from({ length: WORKERS }, () => startWorker(fixture));
    const all = [...workers];
    const random = seededRandom(11);
    let kills = 0;
    const cut: { pipeline: string; at: number }[] = [];
    let last = 0;
    let coordinatorEnded = false;
    void coordinator.done.then(() => (coordinatorEnded = true));
    while (kills < KILLS && !coordinatorEnded) {
      await new Promise((resolve) => setTimeout(resolve, 600 + random() * 1000));
      const now = await durableRows(fixture);
      if (now <= last || coordinatorEnded) continue;
      last = now;
      const index = Math.floor(random() * workers.length);
      const held = heldJob(workers[index]!);
      workers[index]!.child.kill('SIGKILL');
      if (held !== undefined) cut.push({ pipeline: held, at: Date.now() });
      await workers[index]!.done;
      kills += 1;
      workers[index] = startWorker(fixture);
      all.push(workers[index]);
    }
    const run = await coordinator.done;
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`distributed run: ${seconds} s, ${kills} kills, ${all.length} worker processes`);
    expect(kills).toBe(KILLS);
    expect(run.code, run.stderr.slice(-3000)).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Run \S+ completed\./);
    // The workers still running stop by themselves once the run is complete.
    for (const worker of workers) {
      const ended = await worker.done;
      expect(ended.code, ended.stderr.slice(-2000)).toBe(ExitCode.ok);
    }
    // The kills that cut a job in the middle (by the worker's output: one whose last `taken` had no
    // `completed` line yet), and how long until a worker took that job again. A job the killed worker
    // completed in the instant before the kill (its line not printed yet) is not taken again: listed
    // as `done`. Every job ends completed either way (checked through `status` below).
    const takeovers = cut.map(({ pipeline, at }) => {
      const next = all.flatMap((w) => w.taken).filter((t) => t.pipeline === pipeline && t.at > at);
      return next.length === 0 ? undefined : Math.min(...next.map((t) => t.at)) - at;
    });
    console.log(
      `kills that cut a job: ${cut.length}; taken over after ${takeovers.map((ms) => (ms === undefined ? 'done' : `${(ms / 1000).toFixed(1)} s`)).join(', ')} (expireSeconds 4)`,
    );
    expect(takeovers.filter((ms) => ms !== undefined).length).toBeGreaterThan(0);

    const verify = await cli('verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(ExitCode.ok);

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
  }, 480_000);
});
