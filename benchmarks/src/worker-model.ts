// The throughput model of distributed runs: from the CPU each row costs in a worker (Ferry), in the
// source (MariaDB) and in the target (PostgreSQL), measured in the 1-worker case, and the rate one
// worker reached, what n workers can reach (a) on one machine of c cores that also runs both servers,
// and (b) with every worker on a host of its own and the servers on theirs, until the target saturates.

import type { CaseSummary } from './bench-summary.js';

/** CPU microseconds per row, from one case's medians. */
export interface RowCosts {
  /** All worker processes together (Ferry: read, map, encode, pg-boss). */
  readonly ferryUs: number;
  /** The MariaDB server. */
  readonly sourceUs: number;
  /** The PostgreSQL server (COPY, index, WAL, checkpoints, the job tables). */
  readonly targetUs: number;
}

/** The per-row costs of `summary` (a run of `rows` rows), or undefined without its three CPU medians. */
export function rowCosts(summary: CaseSummary | undefined, rows: number): RowCosts | undefined {
  const f = summary?.medianCpuProcessS;
  const s = summary?.medianCpuMariadbS;
  const t = summary?.medianCpuPostgresS;
  if (f == null || s == null || t == null) return undefined;
  const us = (cpuS: number): number => (cpuS * 1e6) / rows;
  return { ferryUs: us(f), sourceUs: us(s), targetUs: us(t) };
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
 * worker's, the per-row costs of the 1-worker case, and what the model predicts from them on this
 * machine (`cores`) and with workers on hosts of their own (for a target of 2, 4 and 8 cores).
 */
export function describeWorkers(summaries: readonly CaseSummary[], rows: number, cores: number): string[] {
  const rate = (n: number): number | null =>
    summaries.find((s) => s.case === `ferry-workers-${n}`)?.medianRowsPerSecond ?? null;
  const one = rate(1);
  const counts = [1, 2, 4].filter((n) => rate(n) !== null);
  if (one === null || counts.length === 0) return [];
  const k = (v: number): string => Math.round(v).toLocaleString('en');
  const lines = [
    `Workers: ${counts.map((n) => `${n} → ${k(rate(n)!)} rows/s (${(rate(n)! / one).toFixed(2)}× one)`).join('; ')}`,
  ];
  const costs = rowCosts(
    summaries.find((s) => s.case === 'ferry-workers-1'),
    rows,
  );
  if (costs === undefined) return lines;
  const sum = costs.ferryUs + costs.sourceUs + costs.targetUs;
  lines.push(
    `Per-row CPU (ferry-workers-1, medians): Ferry ${costs.ferryUs.toFixed(2)} µs, MariaDB ${costs.sourceUs.toFixed(2)} µs, ` +
      `PostgreSQL ${costs.targetUs.toFixed(2)} µs (${sum.toFixed(2)} µs in all)`,
    `Model, this machine (${cores} cores for workers and both servers): ` +
      [1, 2, 4, 8]
        .map((n) => `${n} → ${k(modelThroughput(costs, one, n, { kind: 'one-machine', cores }))}`)
        .join(', ') +
      ` rows/s (ceiling ${cores} × 10⁶ / ${sum.toFixed(2)} µs)`,
  );
  for (const targetCores of [2, 4, 8]) {
    const layout = { kind: 'separate-hosts', sourceCores: targetCores, targetCores } as const;
    lines.push(
      `Model, workers on their own hosts, source and target ${targetCores} cores each: ` +
        [1, 2, 4, 8, 16].map((n) => `${n} → ${k(modelThroughput(costs, one, n, layout))}`).join(', ') +
        ` rows/s; the ${saturation(costs, one, layout).by} saturates from ${saturation(costs, one, layout).workers.toFixed(1)} workers`,
    );
  }
  return lines;
}
