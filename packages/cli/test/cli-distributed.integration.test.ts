// Issue 11's acceptance: a ≥1M-row O11 migration (the sample with its self reference and the
// Client ⇄ Invoice cycle, MariaDB → PostgreSQL, every entity in 3 key ranges) run by 3 real
// `ferry worker` processes and followed by `ferry run --distributed`, while workers are SIGKILLed at
// 10 seeded random moments (each after the checkpoints advanced) and started again. Then `ferry verify`
// finds every entity's count and checksum equal to the source, each big table holds its source's rows
// with no key twice, every job is completed and no worker is left.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@ferry/adapters/http/testing';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, type Fixture } from './cli-harness.js';
import {
  expectMigratedOnce,
  killWorkersAtRandom,
  openAcceptanceFixture,
  reportTakeovers,
  startCoordinator,
  startWorker,
  type WorkerProcess,
} from './distributed-harness.js';

const KILLS = 10;
const WORKERS = 3;

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  const started = Date.now();
  fixture = await openAcceptanceFixture(23);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  console.log(`fixture: ${Math.round((Date.now() - started) / 1000)} s`);
}, 300_000);
afterAll(async () => fixture?.drop());

describe('a distributed run under SIGKILL', () => {
  it('3 workers, 10 kills: the target equals the source, nothing doubled', async () => {
    const started = Date.now();
    const coordinator = startCoordinator(fixture);
    const workers: WorkerProcess[] = Array.from({ length: WORKERS }, () => startWorker(fixture));
    let coordinatorEnded = false;
    void coordinator.done.then(() => (coordinatorEnded = true));
    const killed = await killWorkersAtRandom({
      fixture,
      workers,
      kills: KILLS,
      random: seededRandom(11),
      ended: () => coordinatorEnded,
      restart: () => startWorker(fixture),
    });
    const run = await coordinator.done;
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(
      `distributed run: ${seconds} s, ${killed.kills} kills, ${killed.all.length} worker processes`,
    );
    expect(killed.kills).toBe(KILLS);
    expect(run.code, run.stderr.slice(-3000)).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Run \S+ completed\./);
    // The workers still running stop by themselves once the run is complete.
    for (const worker of workers) {
      const ended = await worker.done;
      expect(ended.code, ended.stderr.slice(-2000)).toBe(ExitCode.ok);
    }
    // The kills that cut a job in the middle, and how long until a worker took that job again. Every
    // job ends completed either way (checked through `status`).
    reportTakeovers(killed, 4);
    await expectMigratedOnce(fixture, cli);
  }, 480_000);
});
