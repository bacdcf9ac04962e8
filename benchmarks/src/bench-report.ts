// Prints a session's result as a plain-text table (one per size) with the goals under it, the same
// figures the JSON holds.

import type { CaseSummary, GoalCheck } from './bench-summary.js';
import type { BenchResult } from './bench-session.js';

const HEADERS = [
  'case',
  'ok/runs',
  'rows/s',
  '×\\copy',
  '×hand',
  '×pgl tuned',
  'peak RSS MB',
  'CPU s proc',
  'CPU s PG',
  'CPU s MariaDB',
  'commits',
  'WAL MB',
];

function num(value: number | null, digits = 0): string {
  return value === null
    ? '—'
    : value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function row(s: CaseSummary): string[] {
  return [
    s.case,
    `${s.okRuns}/${s.runs}`,
    num(s.medianRowsPerSecond),
    num(s.vsCopy, 2),
    num(s.vsHandCopy, 2),
    num(s.vsPgloaderTuned, 2),
    num(s.peakRssMb, 0),
    num(s.medianCpuProcessS, 1),
    num(s.medianCpuPostgresS, 1),
    num(s.medianCpuMariadbS, 1),
    num(s.medianCommits, 0),
    num(s.medianWalMb, 0),
  ];
}

/** A Markdown table of the summaries (also readable as plain text). */
export function formatTable(summaries: readonly CaseSummary[]): string {
  const lines = [HEADERS, ...summaries.map(row)];
  const widths = HEADERS.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const render = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [render(HEADERS), rule, ...lines.slice(1).map(render)].join('\n');
}

function formatGoals(goals: readonly GoalCheck[]): string {
  return goals
    .map((g) => `- ${g.met === null ? '?' : g.met ? 'met' : 'NOT met'}: ${g.goal} (measured ${g.measured})`)
    .join('\n');
}

/** The whole report: facts, one table per size, errors, resume comparison and goals. */
export function formatReport(result: BenchResult): string {
  const f = result.facts;
  const out = [
    `Ferry benchmark ${result.date} — ${f.nproc} cores (${f.cpuModel}), ${f.memoryMb} MB, load ${f.loadAverageAtStart.join(' ')}`,
    `node ${f.node}, ${f.postgres}, MariaDB ${f.mariadb}, ${f.pgloader}, ferry ${f.ferryGitSha}`,
    `batch ${result.settings.batchSize} rows, commit every ${result.settings.commitEvery} rows, ` +
      `Ferry in-flight ${result.settings.maxInFlight ?? 'default'}, partitions ${result.settings.partitions ?? 1}, ` +
      `${result.settings.runs} rounds, cases interleaved`,
  ];
  for (const size of result.sizes) {
    out.push(
      '',
      `## ${size.rows.toLocaleString('en')} rows (source ${size.source.reused ? 'reused' : `built in ${size.source.seconds.toFixed(0)} s`})`,
      '',
    );
    out.push(formatTable(size.summaries));
    for (const s of size.summaries) for (const e of s.errors) out.push(`  ${s.case}: ${e}`);
    if (size.resume !== undefined) out.push('', size.resume);
  }
  if (result.goals.length > 0) out.push('', 'Goals:', formatGoals(result.goals));
  return out.join('\n');
}
