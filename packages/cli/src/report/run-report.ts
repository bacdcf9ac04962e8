// The report of a run: the runner's result per entity, the mapping's counters (deleted static records,
// unmatched users) and where rejects went, as a JSON file for tooling and a summary table for people.
// It holds counts, names and error codes only, never row values or connection strings.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunResult } from '@ferry/core';
import type { MappingCount, UserMapReport } from '@ferry/mapping';
import { jsonReplacer } from '../output/cli-output.js';
import { formatCount, formatDuration, textTable } from '../output/text-table.js';
import { groupPartitions, withPartitionRows } from './partition-groups.js';

/** One entity (or key range) in the report. */
export interface ReportEntity {
  readonly entity: string;
  readonly status: string;
  readonly skipReason?: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
  readonly durationMs: number;
  readonly error?: Record<string, unknown>;
  readonly partitions?: readonly ReportEntity[];
}

/** The JSON report of `ferry run`. */
export interface RunReport {
  readonly runId: string;
  readonly status: RunResult['status'];
  readonly resumable: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly target: { readonly kind: string; readonly mode?: string };
  /** One line per entity; a partitioned entity's key ranges are its `partitions`. */
  readonly entities: readonly ReportEntity[];
  readonly totals: {
    readonly rowsRead: number;
    readonly rowsWritten: number;
    readonly rowsRejected: number;
    readonly rowsFiltered: number;
  };
  readonly mapping: readonly MappingCount[];
  readonly users?: { readonly o11Users: number; readonly matched: number; readonly unmatched: number };
  readonly rejectsFile?: string;
}

/** Builds the report from the run's result. */
export function runReport(
  result: RunResult,
  extra: {
    readonly startedAt: Date;
    readonly target: RunReport['target'];
    readonly mapping: readonly MappingCount[];
    readonly users?: UserMapReport;
    readonly rejectsFile?: string;
  },
): RunReport {
  const sum = (pick: (e: RunResult['entities'][number]) => number): number =>
    result.entities.reduce((total, e) => total + pick(e), 0);
  return {
    runId: result.runId,
    status: result.status,
    resumable: result.resumable,
    startedAt: extra.startedAt.toISOString(),
    durationMs: result.durationMs,
    target: extra.target,
    entities: groupPartitions(result.entities.map(reportEntity), (entity, parts) => {
      const reasons = new Set(parts.map((p) => p.skipReason));
      const reason = reasons.size === 1 ? parts[0]!.skipReason : undefined;
      const { status, rowsRead, rowsWritten, rowsRejected, rowsFiltered } = parts[0]!;
      return {
        entity,
        status,
        ...(reason === undefined ? {} : { skipReason: reason }),
        ...{ rowsRead, rowsWritten, rowsRejected, rowsFiltered },
        durationMs: Math.max(...parts.map((p) => p.durationMs)),
      };
    }),
    totals: {
      rowsRead: sum((e) => e.rowsRead),
      rowsWritten: sum((e) => e.rowsWritten),
      rowsRejected: sum((e) => e.rowsRejected),
      rowsFiltered: sum((e) => e.rowsFiltered),
    },
    mapping: extra.mapping,
    ...(extra.users === undefined
      ? {}
      : {
          users: {
            o11Users: extra.users.o11Users,
            matched: extra.users.matched,
            unmatched: extra.users.unmatched.length,
          },
        }),
    ...(extra.rejectsFile === undefined ? {} : { rejectsFile: extra.rejectsFile }),
  };
}

function reportEntity(e: RunResult['entities'][number]): ReportEntity {
  return {
    entity: e.entity,
    status: e.status,
    ...(e.skipReason === undefined ? {} : { skipReason: e.skipReason }),
    rowsRead: e.rowsRead,
    rowsWritten: e.rowsWritten,
    rowsRejected: e.rowsRejected,
    rowsFiltered: e.rowsFiltered,
    durationMs: e.durationMs,
    ...(e.error === undefined ? {} : { error: e.error.toJSON() }),
  };
}

/** Writes the report as pretty JSON. */
export async function writeReport(path: string, report: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, jsonReplacer, 2)}\n`, 'utf8');
}

/** The summary table of a run report. */
export function summaryTable(report: RunReport): string {
  const rows = withPartitionRows(report.entities, (e, depth) => {
    const rate = e.durationMs > 0 ? Math.round((e.rowsWritten / e.durationMs) * 1000) : 0;
    return [
      depth === 0 ? e.entity : `  ${e.entity}`,
      e.skipReason === undefined ? e.status : `${e.status} (${e.skipReason})`,
      formatCount(e.rowsRead),
      formatCount(e.rowsWritten),
      formatCount(e.rowsRejected),
      formatCount(e.rowsFiltered),
      formatDuration(e.durationMs),
      formatCount(rate),
    ];
  });
  const t = report.totals;
  rows.push([
    'total',
    report.status,
    formatCount(t.rowsRead),
    formatCount(t.rowsWritten),
    formatCount(t.rowsRejected),
    formatCount(t.rowsFiltered),
    formatDuration(report.durationMs),
    '',
  ]);
  return textTable(
    ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'time', 'rows/s'],
    rows,
    new Set([2, 3, 4, 5, 6, 7]),
  );
}
