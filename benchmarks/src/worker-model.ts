// The throughput model of distributed runs: from the CPU each row costs in a worker (Ferry), in the
// source (MariaDB) and in the target (PostgreSQL), and the rate one worker reached, what n workers can
// reach (a) on one machine of c cores that also runs both servers, and (b) with every worker on a host
// of its own and the servers on theirs, until the target (or the source) saturates.

import type { CaseSummary } from './bench-summary.js';
import { median } from './bench-summary.js';
import type { RunRecord } from './measure-case.js';

/** CPU microseconds per row. */
export interface RowCosts {
  /** All worker processes together (Ferry: read, map, encode, pg-boss, a plan per job). */
  readonly ferryUs: number;
  /** The MariaDB server. */
  readonly sourceUs: number;
  /** The PostgreSQL server (COPY, index, WAL, the job and checkpoint tables). */
  readonly targetUs: number;
}

/**
 * Per-row costs from a session's runs of `rows` rows: Ferry's from the 1-worker case (median; its
 * own processes' CPU, which nothing else adds to), each server's as the lowest seen over every Ferry
 * load of the session. A server's counter is the whole server's, so other sessions' work on it can only
 * add to it (`psql-copy` reads no MariaDB row, yet MariaDB's counter moves while it runs): the lowest
 * load is the closest to the cost of our rows. Undefined without a successful 1-worker run.
 */
export function rowCosts(runs: readonly RunRecord[], rows: number): RowCosts | undefined {
  const ok = runs.filter((r) => r.error === undefined && r.case.startsWith('ferry-'));
  const ferry = median(ok.filter((r) => r.case === 'ferry-workers-1').map((r) => r.cpuProcessS));
  const lowest = (values: number[]): number | null => {
    const finite = values.filter((v) => Number.isFinite(v));
    return finite.length === 0 ? null : Math.min(...finite);
  };
  const source = lowest(ok.map((r) => r.cpuMariadbS));
  const target = lowest(ok.map((r) => r.cpuPostgresS));
  if (ferry === null || source === null || target === null) return undefined;
  const us = (cpuS: number): number => (cpuS * 1e6) / rows;
  return { ferryUs: us(ferry), sourceUs: us(source), targetUs: us(target) };
}

/** Where the workers and servers run. */
export type Layout =
  /** Workers and both servers share `cores` cores (this machine). */
  | { readonly kind: 'one-machine'; readonly cores: number }
  /** Each worker on its own host; the source and target servers with their own cores. */
  | { readonly kind: 'separate-hosts'; readonly sourceCores: number; readonly targetCores: number };

/**
 * Rows/s of `workers` workers, each running one pipeline at a time, as the lowest of: the workers
 * scaling linearly from one worker's measured rate `oneWorker` (their jobs are independent key
 * ranges); and every CPU that rows need — all of it on one machine's cores, or the source's and the
 * target's own cores when workers run elsewhere (the target's is where it saturates).
 */
export function modelThroughput(costs: RowCosts, oneWorker: number, workers: number, layout: Layout): number {
  const linear = workers * oneWorker;
  if (layout.kind === 'one-machine')
    return Math.min(linear, (layout.cores * 1e6) / (costs.ferryUs + costs.sourceUs + costs.targetUs));
  return Math.min(
    linear,
    (layout.sourceCores * 1e6) / costs.sourceUs,
    (layout.targetCores * 1e6) / costs.targetUs,
  );
}

/**
 * With workers on hosts of their own: the worker count from which a server, not the workers, bounds
 * the rate, and which server (the one whose cores run out first).
 */
export function saturation(
  costs: RowCosts,
  oneWorker: number,
  layout: { readonly sourceCores: number; readonly targetCores: number },
): { readonly workers: number; readonly by: 'source' | 'target' } {
  const source = (layout.sourceCores * 1e6) / costs.sourceUs;
  const target = (layout.targetCores * 1e6) / costs.targetUs;
  return { workers: Math.min(source, target) / oneWorker, by: target <= source ? 'target' : 'source' };
}

/**
 * The distributed cases of one size in words, for the report: each worker count's rate beside one
 * worker's, the per-row costs ({@link rowCosts}), the cores the loads got (rate × CPU per row), and
 * what the model predicts on an idle machine of `cores` cores and with workers on hosts of their own
 * (source and target of 2, 4 and 8 cores).
 */
export function describeWorkers(
  size: {
    readonly rows: number;
    readonly summaries: readonly CaseSummary[];
    readonly runs: readonly RunRecord[];
  },
  cores: number,
): string[] {
  const rate = (n: number): number | null =>
    size.summaries.find((s) => s.case === `ferry-workers-${n}`)?.medianRowsPerSecond ?? null;
  const one = rate(1);
  const counts = [1, 2, 4].filter((n) => rate(n) !== null);
  if (one === null || counts.length === 0) return [];
  const k = (v: number): string => Math.round(v).toLocaleString('en');
  const lines = [
    `Workers: ${counts.map((n) => `${n} → ${k(rate(n)!)} rows/s (${(rate(n)! / one).toFixed(2)}× one)`).join('; ')}`,
  ];
  const costs = rowCosts(size.runs, size.rows);
  if (costs === undefined) return lines;
  const sum = costs.ferryUs + costs.sourceUs + costs.targetUs;
  lines.push(
    `Per-row CPU: Ferry ${costs.ferryUs.toFixed(2)} µs (ferry-workers-1, median), MariaDB ${costs.sourceUs.toFixed(2)} µs, ` +
      `PostgreSQL ${costs.targetUs.toFixed(2)} µs (lowest over the Ferry loads) = ${sum.toFixed(2)} µs`,
    `Cores the loads got (rows/s × ${sum.toFixed(2)} µs): ` +
      counts.map((n) => `${n} worker${n === 1 ? '' : 's'} ${((rate(n)! * sum) / 1e6).toFixed(2)}`).join(', '),
    `Model, an idle machine of ${cores} cores for workers and both servers: ` +
      [1, 2, 4, 8]
        .map((n) => `${n} → ${k(modelThroughput(costs, one, n, { kind: 'one-machine', cores }))}`)
        .join(', ') +
      ` rows/s (ceiling ${cores} × 10⁶ / ${sum.toFixed(2)} µs)`,
  );
  for (const serverCores of [2, 4, 8]) {
    const layout = { kind: 'separate-hosts', sourceCores: serverCores, targetCores: serverCores } as const;
    const bound = saturation(costs, one, layout);
    lines.push(
      `Model, workers on hosts of their own, source and target ${serverCores} cores each: ` +
        [1, 2, 4, 8, 16, 32].map((n) => `${n} → ${k(modelThroughput(costs, one, n, layout))}`).join(', ') +
        ` rows/s; the ${bound.by} saturates from ${bound.workers.toFixed(1)} workers`,
    );
  }
  return lines;
}
