// How a child process (one measured load) reports back: one `FERRY_BENCH_RESULT {json}` line on stdout
// with the load's own wall time and CPU (measured inside, so interpreter start-up is excluded) and the
// process's peak RSS (VmHWM) read from /proc at the end.

import { readFileSync } from 'node:fs';

/** The marker of the result line. */
export const RESULT_MARKER = 'FERRY_BENCH_RESULT ';

/** The line a distributed case's worker prints once it can take jobs (before its measured part). */
export const WORKER_READY = 'FERRY_BENCH_WORKER_READY';

/** What a child reports. */
export interface ChildResult {
  readonly rows: number;
  readonly loadMs: number;
  readonly cpuMs: number;
  readonly peakRssKb: number;
  /** Free-form facts of the case (e.g. the resumed-from position, rows written by this attempt). */
  readonly details?: Record<string, unknown>;
}

/** Peak resident set size of this process, in KiB (VmHWM). */
export function peakRssKb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : Math.round(process.resourceUsage().maxRSS);
}

/**
 * Start measuring a load: call the returned function at its end to print the result line. A load that
 * ran in processes of its own (the distributed cases' workers) passes their results as `children`:
 * their CPU is added to this process's, and the peak RSS is the largest of all.
 */
export function startMeasure(): (
  rows: number,
  details?: Record<string, unknown>,
  children?: readonly ChildResult[],
) => ChildResult {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return (rows, details, children = []) => {
    const used = process.cpuUsage(cpu);
    const result: ChildResult = {
      rows,
      loadMs: performance.now() - wall,
      cpuMs: (used.user + used.system) / 1000 + children.reduce((sum, c) => sum + c.cpuMs, 0),
      peakRssKb: Math.max(peakRssKb(), ...children.map((c) => c.peakRssKb)),
      ...(details === undefined ? {} : { details }),
    };
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
    return result;
  };
}

/** The JSON argument every child script receives as `argv[2]`. */
export function childArgs<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('child: missing JSON argument');
  return JSON.parse(raw) as T;
}
