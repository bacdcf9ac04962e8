// Runs one measured command under `/usr/bin/time`, which reports the process's wall time, CPU and
// peak RSS, with a timeout (a tool that hangs, like pgloader dropping into its debugger on heap
// exhaustion, becomes a recorded failure, never a stuck harness).

import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_MARKER, type ChildResult } from './child-report.js';

/** What a timed command did. */
export interface TimedRun {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly wallS: number;
  /** User + system CPU of the process tree `time` waited for. */
  readonly cpuS: number;
  readonly maxRssKb: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The child's own report, when it printed one (Node children do). */
  readonly child: ChildResult | undefined;
}

const KEEP = 64 * 1024;

/** Run `command args` under /usr/bin/time in `workDir`, killing it after `timeoutMs`. */
export async function runTimed(
  command: string,
  args: readonly string[],
  options: { readonly workDir: string; readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<TimedRun> {
  const timeFile = join(options.workDir, `time-${process.pid}-${Date.now()}.txt`);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-KEEP)));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-KEEP)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  const wallS = (performance.now() - started) / 1000;
  const timing = await readFile(timeFile, 'utf8').catch(() => '');
  await rm(timeFile, { force: true });
  const last = timing.trim().split('\n').pop() ?? '';
  const [, user, sys, rss] = last.split(' ').map(Number);
  return {
    exitCode,
    timedOut,
    wallS,
    cpuS: (user ?? Number.NaN) + (sys ?? Number.NaN),
    maxRssKb: rss ?? Number.NaN,
    stdout,
    stderr,
    child: parseChild(stdout),
  };
}

function parseChild(stdout: string): ChildResult | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_MARKER.length)) as ChildResult);
}
