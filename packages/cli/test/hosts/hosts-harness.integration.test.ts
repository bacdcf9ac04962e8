// The namespace-host harness on its own, then the real `ferry discover` and `ferry run` on a namespace
// host: each host has its own address, hostname and pids, reaches PostgreSQL and MariaDB only through
// the forwarders, writes its files in its own folder, and `close()` leaves nothing behind (namespaces,
// veths, forwarders, processes).

import { execFileSync } from 'node:child_process';
import { copyFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/output/exit-codes.js';
import {
  MARIADB_URL,
  PG_URL,
  checkTarget,
  openFixture,
  sampleEntityEqual,
  type Fixture,
} from '../cli-harness.js';
import { createHostNetwork, type HostNetwork, type VirtualHost } from './host-network.js';
import { copyToHost, startFerryOn } from './host-ferry.js';
import { listNamespaces } from './netns-host.js';

const PORTS = [Number(new URL(PG_URL).port), Number(new URL(MARIADB_URL).port)];

/** A Node program run on a host: what it sees of itself and which addresses it can connect to. */
const PROBE = `
const net = require('node:net');
const os = require('node:os');
const tryConnect = (host, port) => new Promise((resolve) => {
  const s = net.connect({ host, port, timeout: 2000 });
  s.once('connect', () => { s.destroy(); resolve('connected'); });
  s.once('timeout', () => { s.destroy(); resolve('timeout'); });
  s.once('error', (e) => resolve(e.code));
});
(async () => {
  const [gateway, ...ports] = process.argv.slice(1);
  const result = { hostname: os.hostname(), pid: process.pid, eth0: os.networkInterfaces().eth0?.find((a) => a.family === 'IPv4')?.address, local: {}, gateway: {} };
  for (const p of ports) {
    result.local[p] = await tryConnect('127.0.0.1', Number(p));
    result.gateway[p] = await tryConnect(gateway, Number(p));
  }
  result.outside = await tryConnect('192.0.2.1', 9);
  console.log(JSON.stringify(result));
})();
`;

interface Probe {
  hostname: string;
  pid: number;
  eth0: string;
  local: Record<string, string>;
  gateway: Record<string, string>;
  outside: string;
}

async function probe(host: VirtualHost): Promise<Probe> {
  const p = host.start(process.execPath, ['-e', PROBE, host.gateway, ...PORTS.map(String)]);
  const { code } = await p.exited;
  expect(code, p.output()).toBe(0);
  return JSON.parse(p.stdout()) as Probe;
}

let network: HostNetwork;
let fixture: Fixture;

beforeAll(async () => {
  fixture = await openFixture(2000);
  network = await createHostNetwork({ hosts: 2, ports: PORTS });
});
afterAll(async () => {
  await network?.close();
  await fixture?.drop();
});

describe.sequential('namespace hosts', () => {
  it('each host has its own address, hostname and pids and reaches the databases only through the forwarders', async () => {
    const probes = await Promise.all(network.hosts.map(probe));
    for (const [i, seen] of probes.entries()) {
      const host = network.hosts[i]!;
      expect(seen.hostname).toBe(host.hostname);
      expect(seen.eth0).toBe(host.address);
      // The program is pid 1 of its own PID namespace on every host: pids say nothing across hosts.
      expect(seen.pid).toBe(1);
      for (const port of PORTS) {
        expect(seen.local[port], `127.0.0.1:${port} inside ${host.namespace}`).toBe('ECONNREFUSED');
        expect(seen.gateway[port], `${host.gateway}:${port}`).toBe('connected');
      }
      // No default route: nothing but the forwarders is reachable.
      expect(seen.outside).toBe('ENETUNREACH');
    }
    expect(new Set(probes.map((p) => p.eth0)).size).toBe(network.hosts.length);
  });

  it('ferry discover and run on a host migrate the sample: every target row equals its source row', async () => {
    const host = network.hosts[1]!;
    await copyToHost(host, fixture.dir, ['ferry.config.json']);
    const before = network.forwarded();
    const discover = startFerryOn(host, ['discover'], fixture.env);
    expect((await discover.exited).code, discover.output()).toBe(ExitCode.ok);
    const run = startFerryOn(host, ['run'], fixture.env);
    expect((await run.exited).code, run.output()).toBe(ExitCode.ok);
    // Its traffic went through its own forwarders, and its files stayed in its own folder.
    for (const port of PORTS) {
      const key = `${host.gateway}:${port}`;
      expect(network.forwarded().get(key)! - before.get(key)!, key).toBeGreaterThan(0);
    }
    const runId = String(fixture.config.runId);
    expect((await stat(join(host.dir, '.ferry', `${runId}.report.json`))).isFile()).toBe(true);
    expect(await readdir(fixture.dir)).not.toContain('.ferry');
    await copyFile(join(host.dir, 'ferry.mapping.json'), join(fixture.dir, 'ferry.mapping.json'));
    const checks = await checkTarget(fixture);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
  });

  it('close() removes namespaces, veths, forwarders and the programs still running', async () => {
    const other = await createHostNetwork({ hosts: 2, ports: PORTS });
    const sleeper = other.hosts[0]!.start('sleep', ['600']);
    const names = other.hosts.map((h) => h.namespace);
    expect(listNamespaces()).toEqual(expect.arrayContaining(names));
    const listeningBefore = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
    for (const host of other.hosts) expect(listeningBefore).toContain(`${host.gateway}:${PORTS[0]}`);
    await other.close();
    expect((await sleeper.exited).signal).not.toBeNull();
    expect(listNamespaces().filter((n) => names.includes(n))).toEqual([]);
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    const listening = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
    for (const host of other.hosts) {
      expect(links).not.toContain(`${host.veth}@`);
      expect(listening).not.toContain(`${host.gateway}:`);
    }
  });
});
