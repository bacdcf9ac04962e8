// Issue 11's acceptance with hosts: the distributed run of cli-distributed (the ≥1M-row O11 sample with
// its self reference and the Client ⇄ Invoice cycle, MariaDB → PostgreSQL, every entity in 3 key
// ranges), with `ferry run --distributed` and 3 `ferry worker`s each on a namespace host of its own
// (hosts/host-network.ts): own network reaching the databases over veth, own hostname, every program
// pid 1, own folder with its own copy of the config and mapping. Workers are SIGKILLed at 10 seeded
// random moments and started again on their host; then the target equals the source (verify: counts
// and checksums), no key is written twice, every job is completed.

import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@ferry/adapters/http/testing';
import { ExitCode } from '../../src/output/exit-codes.js';
import { MARIADB_URL, PG_URL, ferry, type Fixture } from '../cli-harness.js';
import {
  expectMigratedOnce,
  killWorkersAtRandom,
  openAcceptanceFixture,
  reportTakeovers,
  until,
  watchWorker,
  type WorkerProcess,
} from '../distributed-harness.js';
import { createHostNetwork, type HostNetwork, type VirtualHost } from './host-network.js';
import { copyToHost, startFerryOn } from './host-ferry.js';

const KILLS = 10;
const WORKERS = 3;
const PORTS = [Number(new URL(PG_URL).port), Number(new URL(MARIADB_URL).port)];

let fixture: Fixture;
let network: HostNetwork;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const startWorkerOn = (host: VirtualHost): WorkerProcess =>
  watchWorker(startFerryOn(host, ['worker'], fixture.env).child);

beforeAll(async () => {
  fixture = await openAcceptanceFixture(29);
  network = await createHostNetwork({ hosts: WORKERS + 1, ports: PORTS });
  // `discover` on the coordinator's host; every host gets its own copy of the config and the mapping.
  const [first] = network.hosts;
  await copyToHost(first!, fixture.dir, ['ferry.config.json']);
  const discover = startFerryOn(first!, ['discover'], fixture.env);
  expect((await discover.exited).code, discover.output()).toBe(ExitCode.ok);
  for (const host of network.hosts.slice(1))
    await copyToHost(host, first!.dir, ['ferry.config.json', 'ferry.mapping.json']);
  await copyFile(join(first!.dir, 'ferry.mapping.json'), join(fixture.dir, 'ferry.mapping.json'));
}, 300_000);
afterAll(async () => {
  await network?.close();
  await fixture?.drop();
});

describe('a distributed run over namespace hosts, under SIGKILL', () => {
  it('coordinator and 3 workers on hosts of their own, 10 kills: the target equals the source, nothing doubled', async () => {
    const started = Date.now();
    const [coordinatorHost, ...workerHosts] = network.hosts;
    const coordinator = startFerryOn(coordinatorHost!, ['run', '--distributed'], fixture.env);
    const workers = workerHosts.map(startWorkerOn);
    let coordinatorEnded = false;
    void coordinator.exited.then(() => (coordinatorEnded = true));

    // The cluster as PostgreSQL sees it: one worker per hostname, each pid 1 of its own host.
    const names = workerHosts.map((h) => `ferry worker ${h.hostname}:1`);
    await until(
      async () => {
        const status = JSON.parse((await cli('--json', 'status')).stdout) as {
          distributed?: { processes: { name: string }[] };
        };
        const seen = status.distributed?.processes.map((p) => p.name) ?? [];
        return names.every((n) => seen.includes(n));
      },
      120_000,
      `workers ${names.join(', ')} in status`,
    );

    const killed = await killWorkersAtRandom({
      fixture,
      workers,
      kills: KILLS,
      random: seededRandom(13),
      ended: () => coordinatorEnded,
      restart: (index) => startWorkerOn(workerHosts[index]!),
    });
    const run = await coordinator.exited;
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`distributed run over hosts: ${seconds} s, ${killed.kills} kills`);
    expect(killed.kills).toBe(KILLS);
    expect(run.code, coordinator.output().slice(-3000)).toBe(ExitCode.ok);
    expect(coordinator.stdout()).toMatch(/Run \S+ completed\./);
    for (const worker of workers) {
      const ended = await worker.done;
      expect(ended.code, ended.stderr.slice(-2000)).toBe(ExitCode.ok);
    }
    reportTakeovers(killed, 4);
    // Every host's traffic went over its own veth to its own forwarders.
    const forwarded = network.forwarded();
    for (const host of network.hosts)
      for (const port of PORTS)
        expect(forwarded.get(`${host.gateway}:${port}`), `${host.hostname}:${port}`).toBeGreaterThan(0);

    await expectMigratedOnce(fixture, cli);
  }, 600_000);
});
