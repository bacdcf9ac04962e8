// A program running on a namespace host: its output collected, its end awaited, and signals sent to its
// whole process group (`ip netns exec` → `unshare` → the program as pid 1 of its PID namespace), so a
// SIGKILL is a machine losing the program at once and a SIGINT reaches the program itself.

import type { ChildProcess } from 'node:child_process';
import { spawnInNamespace, type NamespaceSpec } from './netns-host.js';

/** A started program. */
export interface HostProcess {
  readonly child: ChildProcess;
  /** Resolves when it has exited, with its code or the signal that ended it. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  stdout(): string;
  running(): boolean;
  /** Sends `signal` to its process group; a no-op once it has exited. */
  signal(signal: NodeJS.Signals): void;
}

/** The environment a host program gets: `env`, plus PATH and HOME to find its tools; nothing else. */
function hostEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env };
}

/** Starts `command args` on the host `spec` (see spawnInNamespace). */
export function startHostProcess(
  spec: NamespaceSpec,
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): HostProcess {
  const child = spawnInNamespace(spec, command, args, { cwd: options.cwd, env: hostEnv(options.env) });
  let stdout = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => {
      done = true;
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    output: () => output,
    stdout: () => stdout,
    running: () => !done,
    signal(signal) {
      if (done || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is gone
      }
    },
  };
}
