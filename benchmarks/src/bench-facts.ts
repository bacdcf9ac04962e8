// Versions and machine facts recorded with every result, so a number can be read against what
// produced it: node, PostgreSQL, MariaDB, pgloader, Ferry's git sha, cores, memory, load at start.

import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

/** Versions and machine facts of a session. */
export interface BenchFacts {
  readonly node: string;
  readonly postgres: string;
  readonly mariadb: string;
  readonly pgloader: string;
  readonly ferryGitSha: string;
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryMb: number;
  readonly loadAverageAtStart: readonly number[];
}

function tryRun(command: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return undefined;
  }
}

/** The pgloader version line, or undefined when pgloader is not installed. */
export function pgloaderVersion(): string | undefined {
  return tryRun('pgloader', ['--version'])?.split('\n')[0];
}

/** Collect the facts (database versions are passed in: the caller has the connections). */
export function collectFacts(postgres: string, mariadb: string): BenchFacts {
  const sha = tryRun('git', ['rev-parse', 'HEAD']) ?? 'unknown';
  const dirty = (tryRun('git', ['status', '--porcelain']) ?? '') !== '';
  return {
    node: process.version,
    postgres,
    mariadb,
    pgloader: pgloaderVersion() ?? 'not installed',
    ferryGitSha: dirty ? `${sha} (+ uncommitted changes)` : sha,
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 1048576),
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

/** Install what the baselines need and is missing (Debian packages; needs root). */
export function ensureTools(install: boolean, log: (line: string) => void): void {
  const missing: string[] = [];
  if (pgloaderVersion() === undefined) missing.push('pgloader');
  if (tryRun('psql', ['--version']) === undefined) missing.push('postgresql-client');
  if (tryRun('/usr/bin/time', ['true']) === undefined) missing.push('time');
  if (missing.length === 0 || !install) return;
  log(`installing ${missing.join(', ')} with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
