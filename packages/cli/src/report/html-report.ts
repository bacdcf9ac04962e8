// `ferry report`'s page: one self-contained HTML file for a run, from its JSON run report, its reject
// file (grouped by rule, sample keys only) and its recorded verification. Inline CSS and SVG; no
// script, and nothing fetched from anywhere, so it opens offline and can be mailed as it is.

import type { RunReport } from './run-report.js';
import type { RejectGroup } from './reject-summary.js';
import type { VerifyRecord } from './verify-record.js';
import { barChart, escapeHtml, htmlTable, num, type Cell } from './html-parts.js';
import { formatDuration } from '../output/text-table.js';

/** What the page shows. */
export interface HtmlReportInput {
  readonly report: RunReport;
  readonly rejects: readonly RejectGroup[];
  readonly verify?: VerifyRecord;
  /** When the page was written (ISO 8601). */
  readonly generatedAt: string;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px 32px;color:#1d2430;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #d8dde6}
.meta{color:#5b6472}.status{font-weight:600}.ok,.completed,.already-completed{color:#1a7f37}
.failed,.MISMATCH,.killed{color:#c62828}.aborted,.running{color:#b26a00}
table{border-collapse:collapse;margin:4px 0}th,td{padding:4px 10px;border-bottom:1px solid #eceff4;text-align:left}
th{background:#f4f6f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.part td:first-child{padding-left:26px;color:#5b6472}.keys{font-family:ui-monospace,monospace;font-size:12px}
#totals td{font-size:16px}svg text{font:12px system-ui,sans-serif;fill:#1d2430}svg .title{font-weight:600}
svg .bar{fill:#3b73b9}svg .value{fill:#5b6472}.empty{color:#5b6472;font-style:italic}`;

const status = (s: string): Cell => ({ html: escapeHtml(s), className: `status ${s}` });

function entityRows(report: RunReport): Cell[][] {
  return report.entities.flatMap((e) => {
    const cells = (name: string, x: RunReport['entities'][number]): Cell[] => [
      name,
      status(x.status),
      num(x.rowsRead),
      num(x.rowsWritten),
      num(x.rowsRejected),
      num(x.rowsFiltered),
      { html: formatDuration(x.durationMs), className: 'num' },
      num(x.rowsPerSecond),
    ];
    return [cells(e.entity, e), ...(e.partitions ?? []).map((p) => cells(p.entity, p))];
  });
}

function section(title: string, id: string, body: string, empty: boolean, none: string): string {
  return `<h2 id="${id}-heading">${escapeHtml(title)}</h2>\n${empty ? `<p class="empty">${escapeHtml(none)}</p>` : body}`;
}

/** The page for one run. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { report, rejects, verify } = input;
  const t = report.totals;
  const headers = ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'time', 'rows/s'];
  const parts = [
    `<h1>Ferry run <span id="run-id">${escapeHtml(report.runId)}</span></h1>`,
    `<p class="meta">status <span id="run-status" class="status ${escapeHtml(report.status)}">${escapeHtml(report.status)}</span>`,
    ` · started ${escapeHtml(report.startedAt)} · ${formatDuration(report.durationMs)} in ${report.processes.length} process(es)`,
    ` · ${report.rowsPerSecond.toLocaleString('en-US')} rows/s · target ${escapeHtml(report.target.kind)}`,
    `${report.target.mode === undefined ? '' : ` (${escapeHtml(report.target.mode)})`} · page written ${escapeHtml(input.generatedAt)}</p>`,
    htmlTable(
      'totals',
      ['rows read', 'written', 'rejected', 'filtered'],
      [[num(t.rowsRead), num(t.rowsWritten), num(t.rowsRejected), num(t.rowsFiltered)]],
    ),
    '<p class="meta">Every row read is written, rejected or filtered: read = written + rejected + filtered, per entity.</p>',
    section('Entities', 'entities', htmlTable('entities', headers, entityRows(report)), false, ''),
    barChart(
      'Throughput per entity (rows written per second, in the last process that ran it)',
      report.entities.map((e) => ({ label: e.entity, value: e.rowsPerSecond ?? 0 })),
      'rows/s',
    ),
    section(
      'Processes',
      'processes',
      htmlTable(
        'processes',
        ['started', 'ended', 'status', 'rows written', 'time', 'rows/s'],
        report.processes.map((p) => [
          p.startedAt,
          p.endedAt ?? '–',
          status(p.status),
          num(p.rowsWritten),
          { html: p.durationMs === undefined ? '–' : formatDuration(p.durationMs), className: 'num' },
          num(p.rowsPerSecond),
        ]),
      ),
      report.processes.length === 0,
      'No process recorded.',
    ),
    section(
      'Rejects by rule',
      'rejects',
      `${htmlTable(
        'rejects',
        ['entity', 'attribute', 'rule', 'records', 'sample keys'],
        rejects.map((g) => [
          g.entity,
          g.attribute ?? '–',
          g.rule,
          num(g.records),
          { html: escapeHtml(g.keys.join(', ')), className: 'keys' },
        ]),
      )}<p class="meta">Keys only, never values. Records of the reject file: a batch re-read after a crash may list its rejects twice; the entity table's counts are exact.</p>`,
      rejects.length === 0,
      'No row was rejected.',
    ),
    section(
      'Notes',
      'notes',
      htmlTable(
        'notes',
        ['entity', 'attribute', 'event', 'rows'],
        report.mapping.map((n) => [n.entity, n.attribute, n.event, num(n.count)]),
      ),
      report.mapping.length === 0,
      'No mapping notes.',
    ),
    ...(report.users === undefined
      ? []
      : [
          `<p class="meta" id="users">O11 users: ${report.users.o11Users.toLocaleString('en-US')}, matched to ODC users: ${report.users.matched.toLocaleString('en-US')}, unmatched: ${report.users.unmatched.toLocaleString('en-US')}.</p>`,
        ]),
    section(
      'Verification',
      'verify',
      `<p class="meta">${verify === undefined ? '' : `ferry verify at ${escapeHtml(verify.verifiedAt)}: <span id="verify-result" class="status ${verify.ok ? 'ok' : 'MISMATCH'}">${verify.ok ? 'every entity matches' : 'differences found'}</span>`}</p>${htmlTable(
        'verify',
        ['entity', 'table', 'source rows', 'target rows', 'result'],
        (verify?.entities ?? []).map((e) => [
          e.entity,
          e.table,
          num(e.sourceRows),
          num(e.targetRows),
          status(e.ok ? 'ok' : 'MISMATCH'),
        ]),
      )}`,
      verify === undefined,
      'Not verified yet: `ferry verify` records its result for this page.',
    ),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Ferry run ${escapeHtml(report.runId)}</title>\n<style>${STYLE}</style></head>\n<body>\n${parts.join('\n')}\n</body></html>\n`;
}
