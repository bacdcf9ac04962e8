// Reduces the runs of one size to one line per case: medians over successful runs, each as a ratio to
// `\copy`, to the hand-written script and to pgloader measured in the same session, plus the goals of
// the write-path issue (10) checked against them.

import type { RunRecord } from './measure-case.js';

/** One case's figures over its runs. */
export interface CaseSummary {
  readonly case: string;
  readonly description: string;
  readonly runs: number;
  readonly okRuns: number;
  readonly medianRowsPerSecond: number | null;
  readonly medianSeconds: number | null;
  readonly vsCopy: number | null;
  /** Rows/s divided by the hand-written COPY script's (`hand-copy`) of the same session. */
  readonly vsHandCopy: number | null;
  readonly vsPgloaderTuned: number | null;
  readonly vsPgloaderDefault: number | null;
  /** Largest peak RSS over the runs. */
  readonly peakRssMb: number | null;
  readonly medianCpuProcessS: number | null;
  readonly medianCpuPostgresS: number | null;
  /** CPU seconds of the MariaDB server during the run (the source side), median. */
  readonly medianCpuMariadbS: number | null;
  /** Transactions Ferry committed per run (its `details.commits`), median; null for the baselines. */
  readonly medianCommits: number | null;
  readonly medianWalMb: number | null;
  readonly errors: readonly string[];
}

/** Median of the finite values, or null. */
export function median(values: readonly number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Summaries per case, in the order of `cases`. */
export function summarize(
  records: readonly RunRecord[],
  cases: readonly { readonly name: string; readonly description: string }[],
): CaseSummary[] {
  const rate = (name: string): number | null =>
    median(records.filter((r) => r.case === name && r.error === undefined).map((r) => r.rowsPerSecond));
  const copy = rate('psql-copy');
  const hand = rate('hand-copy');
  const tuned = rate('pgloader-tuned');
  const plain = rate('pgloader-default');
  const ratio = (a: number | null, b: number | null): number | null =>
    a === null || b === null ? null : a / b;
  return cases.map(({ name, description }) => {
    const mine = records.filter((r) => r.case === name);
    const ok = mine.filter((r) => r.error === undefined);
    const rowsPerSecond = rate(name);
    const rss = ok.map((r) => r.peakRssMb).filter((v) => Number.isFinite(v));
    return {
      case: name,
      description,
      runs: mine.length,
      okRuns: ok.length,
      medianRowsPerSecond: rowsPerSecond,
      medianSeconds: median(ok.map((r) => r.seconds)),
      vsCopy: ratio(rowsPerSecond, copy),
      vsHandCopy: ratio(rowsPerSecond, hand),
      vsPgloaderTuned: ratio(rowsPerSecond, tuned),
      vsPgloaderDefault: ratio(rowsPerSecond, plain),
      peakRssMb: rss.length === 0 ? null : Math.max(...rss),
      medianCpuProcessS: median(ok.map((r) => r.cpuProcessS)),
      medianCpuPostgresS: median(ok.map((r) => r.cpuPostgresS)),
      medianCpuMariadbS: median(ok.map((r) => r.cpuMariadbS)),
      medianCommits: median(
        ok.flatMap((r) => (typeof r.details?.['commits'] === 'number' ? [r.details['commits']] : [])),
      ),
      medianWalMb: median(ok.map((r) => r.walBytes / 1048576)),
      errors: [...new Set(mine.flatMap((r) => (r.error === undefined ? [] : [r.error])))],
    };
  });
}

/** One goal of the write-path issue and whether the session met it. */
export interface GoalCheck {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | null;
}

/** Check the goals against the summaries of each size (RSS stability needs two sizes). */
export function checkGoals(
  sizes: readonly { readonly rows: number; readonly summaries: readonly CaseSummary[] }[],
): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const fmt = (v: number | null | undefined, digits = 2): string =>
    v === null || v === undefined ? 'n/a' : v.toFixed(digits);
  const at = (s: (typeof sizes)[number], name: string): CaseSummary | undefined =>
    s.summaries.find((c) => c.case === name);
  for (const size of sizes) {
    const copy = at(size, 'ferry-copy');
    const upsert = at(size, 'ferry-upsert');
    const n = size.rows.toLocaleString('en');
    const check = (
      goal: string,
      value: number | null | undefined,
      ok: (v: number) => boolean,
      unit = '',
    ): void => {
      goals.push({
        goal: `${n} rows: ${goal}`,
        measured: `${fmt(value)}${unit}`,
        met: value === null || value === undefined ? null : ok(value),
      });
    };
    const p2 = at(size, 'ferry-copy-p2');
    const perMillion = (s: CaseSummary | undefined): number | null | undefined =>
      s?.medianCpuProcessS === null || s === undefined ? null : (s.medianCpuProcessS * 1e6) / size.rows;
    const p2VsP1 =
      p2?.medianRowsPerSecond == null || copy?.medianRowsPerSecond == null
        ? null
        : p2.medianRowsPerSecond / copy.medianRowsPerSecond;
    check('exactly-once ≥ 0.9× hand-copy', copy?.vsHandCopy, (v) => v >= 0.9, '×');
    check('exactly-once ≥ 2.5× tuned pgloader', copy?.vsPgloaderTuned, (v) => v >= 2.5, '×');
    check('upsert ≥ 0.6× hand-copy', upsert?.vsHandCopy, (v) => v >= 0.6, '×');
    check('exactly-once Ferry CPU ≤ 12 s per 1M rows', perMillion(copy), (v) => v <= 12, ' s');
    check('exactly-once peak RSS ≤ 150 MB', copy?.peakRssMb, (v) => v <= 150, ' MB');
    check('partitions 2 no slower than 1 (rows/s ratio)', p2VsP1, (v) => v >= 1, '×');
  }
  if (sizes.length >= 2) {
    const rss = sizes.map((s) => at(s, 'ferry-copy')?.peakRssMb ?? null);
    const valid = rss.filter((v): v is number => v !== null);
    const spread = valid.length >= 2 ? Math.max(...valid) / Math.min(...valid) - 1 : null;
    goals.push({
      goal: 'peak RSS within 10% between sizes',
      measured: spread === null ? 'n/a' : `${(spread * 100).toFixed(1)}%`,
      met: spread === null ? null : spread <= 0.1,
    });
  }
  return goals;
}
