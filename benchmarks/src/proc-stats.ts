// CPU of the database servers, read from /proc (both run on this machine). PostgreSQL's CPU is the sum
// over the postmaster's live children plus the postmaster's `cutime+cstime`, which holds the CPU of
// backends that already exited (a psql or pgloader connection ends before the "after" sample).

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc CPU counters. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime. */
  readonly own: number;
  /** cutime + cstime (waited-for children). */
  readonly children: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number): number => Number(fields[i]);
    return { pid, ppid: n(1), own: n(11) + n(12), children: n(13) + n(14) };
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The parent of a process (the postmaster, given a backend pid). */
export function parentPid(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}

/** CPU seconds used so far by PostgreSQL: postmaster, its live children, and its exited children. */
export function postgresCpuSeconds(postmasterPid: number): number {
  const master = readStat(postmasterPid);
  if (master === undefined) return Number.NaN;
  let ticks = master.own + master.children;
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat !== undefined && stat.ppid === postmasterPid) ticks += stat.own;
  }
  return ticks / clockTicks();
}

/** The pid of the MariaDB server, when it runs on this machine. */
export function mariadbPid(): number | undefined {
  for (const pid of allPids()) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return pid;
    } catch {
      // gone
    }
  }
  return undefined;
}

/** CPU seconds used so far by one process (all its threads). */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const stat = readStat(pid);
  return stat === undefined ? Number.NaN : stat.own / clockTicks();
}
