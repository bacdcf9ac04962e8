// A virtual network of N hosts for tests that must show a program works across machines: one network
// namespace per host (netns-host.ts), each with its own working directory, reaching the shared
// PostgreSQL and MariaDB only through TCP forwarders on its veth's host end (tcp-forwarder.ts). Needs
// root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2. Everything is removed by `close()`, by an `exit`
// handler if the test process ends first, and by the next network's sweep if that process was killed.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNamespace, listNamespaces, removeNamespace, type NamespaceSpec } from './netns-host.js';
import { startHostProcess, type HostProcess } from './host-process.js';
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder.js';

/** One simulated machine of the network. */
export interface VirtualHost extends NamespaceSpec {
  /** Its own working directory (nothing else is shared with other hosts but the databases). */
  readonly dir: string;
  /**
   * `local`, a URL of a server on this machine (`127.0.0.1` or `localhost` and a forwarded port), as
   * this host reaches it: the same URL with the host's gateway address. Throws for a port not forwarded.
   */
  url(local: string): string;
  /** Starts `command args` on this host (cwd: its directory unless given; env: only `env` plus PATH). */
  start(command: string, args: readonly string[], env?: NodeJS.ProcessEnv, cwd?: string): HostProcess;
}

/** The network; `close` removes it. */
export interface HostNetwork {
  readonly hosts: readonly VirtualHost[];
  /** Connections each forwarder accepted, by `gateway:port`. */
  forwarded(): Map<string, number>;
  close(): Promise<void>;
}

const PREFIX = 'ferryh';

/** Namespaces of this harness whose creating process is gone (a killed test run): removed. */
function sweepStale(): void {
  for (const name of listNamespaces()) {
    const match = new RegExp(`^${PREFIX}-(\\d+)-([0-9a-f]{4})-(\\d+)$`).exec(name);
    if (match === null) continue;
    try {
      process.kill(Number(match[1]), 0);
      continue; // its test process still runs
    } catch {
      removeNamespace(name, `fh${match[2]}${match[3]}`);
    }
  }
}

/** A /24 of 10.213.0.0/16 that no interface of this machine uses (hosts get /30s of it). */
function freeSubnet(): string {
  const used = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  for (let attempt = 0; attempt < 64; attempt++) {
    const third = randomBytes(1)[0]!;
    if (!used.includes(`10.213.${third}.`)) return `10.213.${third}`;
  }
  throw new Error('host-network: no free /24 in 10.213.0.0/16');
}

/**
 * Creates `hosts` namespace hosts and forwards `ports` (of servers on 127.0.0.1) to each of them.
 * Call `close()` in `afterAll` (also after a failure).
 */
export async function createHostNetwork(options: {
  readonly hosts: number;
  readonly ports: readonly number[];
}): Promise<HostNetwork> {
  if (options.hosts < 1 || options.hosts > 63) throw new Error('host-network: 1 to 63 hosts');
  sweepStale();
  const id = randomBytes(2).toString('hex');
  const subnet = freeSubnet();
  const root = await mkdtemp(join(tmpdir(), `ferry-hosts-${id}-`));
  const specs: NamespaceSpec[] = [];
  const forwarders: TcpForwarder[] = [];
  const processes = new Set<HostProcess>();
  const removeAll = (): void => {
    for (const p of processes) p.signal('SIGKILL');
    for (const spec of specs) removeNamespace(spec.namespace, spec.veth);
  };
  process.once('exit', removeAll);
  let closed = false;
  const network: HostNetwork = {
    hosts: [],
    forwarded: () => new Map(forwarders.map((f) => [`${f.host}:${f.port}`, f.accepted()])),
    async close() {
      if (closed) return;
      closed = true;
      process.off('exit', removeAll);
      for (const p of processes) p.signal('SIGKILL');
      await Promise.all([...processes].map((p) => p.exited));
      await Promise.all(forwarders.map((f) => f.close()));
      for (const spec of specs) removeNamespace(spec.namespace, spec.veth);
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    const hosts: VirtualHost[] = [];
    for (let i = 0; i < options.hosts; i++) {
      const spec: NamespaceSpec = {
        namespace: `${PREFIX}-${process.pid}-${id}-${i}`,
        hostname: `ferry-host-${i}`,
        veth: `fh${id}${i}`,
        gateway: `${subnet}.${4 * i + 1}`,
        address: `${subnet}.${4 * i + 2}`,
      };
      specs.push(spec);
      await createNamespace(spec);
      for (const port of options.ports) forwarders.push(await startTcpForwarder(spec.gateway, port));
      const dir = join(root, spec.hostname);
      await mkdir(dir);
      hosts.push({
        ...spec,
        dir,
        url: (local) => hostUrl(local, spec.gateway, options.ports),
        start(command, args, env = {}, cwd = dir) {
          const started = startHostProcess(spec, command, args, { cwd, env });
          processes.add(started);
          void started.exited.then(() => processes.delete(started));
          return started;
        },
      });
    }
    return Object.assign(network, { hosts });
  } catch (error) {
    await network.close();
    throw error;
  }
}

function hostUrl(local: string, gateway: string, ports: readonly number[]): string {
  const url = new URL(local);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
    throw new Error(`host-network: ${url.hostname} is not a server of this machine`);
  if (!ports.includes(Number(url.port)))
    throw new Error(`host-network: port ${url.port} is not forwarded to the hosts`);
  url.hostname = gateway;
  return url.toString();
}
