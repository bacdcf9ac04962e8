// One simulated machine: a network namespace (iproute2) joined to the host namespace by a veth pair on a
// /30 of its own, with no default route, so the only things it reaches are the forwarders listening on
// the host end. Its processes also get their own hostname (UTS namespace) and process ids (PID
// namespace: every host's first process is pid 1), so nothing can lean on a local pid or name.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Addresses and names of one namespace host. */
export interface NamespaceSpec {
  /** The network namespace's name (`ip netns list`). */
  readonly namespace: string;
  /** The hostname its processes see. */
  readonly hostname: string;
  /** The host-side veth interface (at most 15 characters); inside the namespace it is `eth0`. */
  readonly veth: string;
  /** The host end's address, where the forwarders listen (e.g. `10.213.7.1`). */
  readonly gateway: string;
  /** The namespace end's address (e.g. `10.213.7.2`). */
  readonly address: string;
}

async function ip(...args: string[]): Promise<void> {
  await exec('ip', args);
}

/** Creates the namespace, the veth pair, the /30 addresses and brings both ends up. */
export async function createNamespace(spec: NamespaceSpec): Promise<void> {
  const peer = `${spec.veth}p`;
  await ip('netns', 'add', spec.namespace);
  await ip('link', 'add', spec.veth, 'type', 'veth', 'peer', 'name', peer, 'netns', spec.namespace);
  await ip('addr', 'add', `${spec.gateway}/30`, 'dev', spec.veth);
  await ip('link', 'set', spec.veth, 'up');
  await ip('-n', spec.namespace, 'link', 'set', peer, 'name', 'eth0');
  await ip('-n', spec.namespace, 'addr', 'add', `${spec.address}/30`, 'dev', 'eth0');
  await ip('-n', spec.namespace, 'link', 'set', 'eth0', 'up');
  await ip('-n', spec.namespace, 'link', 'set', 'lo', 'up');
}

/**
 * Removes a namespace: SIGKILLs the processes still in it (a namespace held by a process outlives
 * `ip netns del`, and so would its veth), deletes it and the host end of the veth. Synchronous, so it
 * also works from an `exit` handler; every step tolerates what is already gone.
 */
export function removeNamespace(namespace: string, veth: string): void {
  const quiet = { stdio: 'ignore' as const };
  try {
    const pids = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
    for (const pid of pids.split('\n').filter((p) => /^\d+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    // no such namespace
  }
  try {
    execFileSync('ip', ['netns', 'del', namespace], quiet);
  } catch {
    // already gone
  }
  try {
    execFileSync('ip', ['link', 'del', veth], quiet);
  } catch {
    // went with the namespace
  }
}

/** The namespaces that exist now (`ip netns list`), by name. */
export function listNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

/**
 * Starts `command args` inside the namespace, in new UTS, PID and mount namespaces (its own hostname,
 * pids from 1, its own /proc), as the leader of a new process group. `unshare --kill-child` ties the
 * program to the process `spawn` returns: SIGKILL that one (or its group) and the program dies with it.
 */
export function spawnInNamespace(
  spec: NamespaceSpec,
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): ChildProcess {
  const unshare = ['unshare', '--uts', '--pid', '--mount', '--fork', '--kill-child', '--mount-proc'];
  const setHostname = 'echo "$0" > /proc/sys/kernel/hostname && exec "$@"';
  return spawn(
    'ip',
    ['netns', 'exec', spec.namespace, ...unshare, 'sh', '-c', setHostname, spec.hostname, command, ...args],
    { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
}
