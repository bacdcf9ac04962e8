// The report of a run: the runner's result per entity, the mapping's counters (deleted static records,
// unmatched users, from the checkpoints' notes: distinct rows), the processes of the run and where
// rejects went, as a JSON file for tooling and a summary table for people. It holds counts, names and
// error codes only, never row values or connection strings.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parsePartitionId } from '@ferry/core';
import type { Checkpoint, RunResult } from '@ferry/core';
import { countsFromNotes } from '@ferry/mapping';
import type { MappingCount, UserMapReport } from '@ferry/mapping';
import { jsonReplacer } from '../output/cli-output.js';
import { formatCount, formatDuration, textTable } from '../output/text-table.js';
import { groupPartitions, withPartitionRows } from './partition-groups.js';
import type { ProcessRecord } from './run-record.js';
import { runRate } from './run-record.js';

/** One entity (or key range) in the report. */
export interface ReportEntity {
  readonly entity: string;
  readonly status: string;
  readonly skipReason?: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
  /** Time of this entity in the last process that ran it. */
  readonly durationMs: number;
  /** Rows written per second in that process: the rows it wrote there over `durationMs`. */
  readonly rowsPerSecond?: number;
  readonly error?: Record<string, unknown>;
  readonly partitions?: readonly ReportEntity[];
}

/**
 * The JSON report of `ferry run`: one per run, accumulated over its processes (each `ferry run` of the
 * same run id appends to `processes`; counts and notes are the run's, from its checkpoints).
 */
export interface RunReport {
  readonly runId: string;
  /** The last process's outcome; `running` while a process runs (or after one was killed). */
  readonly status: RunResult['status'] | 'running';
  readonly resumable: boolean;
  /** Start of the run's first process. */
  readonly startedAt: string;
  /** Time the run's processes ran, summed (ms). */
  readonly durationMs: number;
  /** Rows written per second: the rows each process wrote over the time each one ran. */
  readonly rowsPerSecond: number;
  /** Every process of the run, oldest first. */
  readonly processes: readonly ProcessRecord[];
  readonly target: { readonly kind: string; readonly mode?: string };
  /** One line per entity; a partitioned entity's key ranges are its `partitions`. */
  readonly entities: readonly ReportEntity[];
  readonly totals: {
    readonly rowsRead: number;
    readonly rowsWritten: number;
    readonly rowsRejected: number;
    readonly rowsFiltered: number;
  };
  /** Mapping notes, each row counted once however often it was read (retries, resumes). */
  readonly mapping: readonly MappingCount[];
  readonly users?: { readonly o11Users: number; readonly matched: number; readonly unmatched: number };
  readonly rejectsFile?: string;
}

/** Builds the report from the run's result, its checkpoints before and after, and its processes. */
export function runReport(
  result: RunResult,
  extra: {
    readonly processes: readonly ProcessRecord[];
    readonly target: RunReport['target'];
    /** The run's checkpoints when this process started (rows/s per entity counts what it added). */
    readonly before: readonly Checkpoint[];
    /** The run's checkpoints now: the notes of durable rows. */
    readonly after: readonly Checkpoint[];
    readonly users?: UserMapReport;
    readonly rejectsFile?: string;
  },
): RunReport {
  const sum = (pick: (e: RunResult['entities'][number]) => number): number =>
    result.entities.reduce((total, e) => total + pick(e), 0);
  const writtenBefore = new Map(extra.before.map((c) => [c.entity, c.rowsWritten]));
  const processes = extra.processes;
  return {
    runId: result.runId,
    status: result.status,
    resumable: result.resumable,
    startedAt: processes[0]?.startedAt ?? new Date().toISOString(),
    durationMs: processes.reduce((total, p) => total + (p.durationMs ?? 0), 0),
    rowsPerSecond: runRate(processes),
    processes,
    target: extra.target,
    entities: groupPartitions(
      result.entities.map((e) => reportEntity(e, writtenBefore.get(e.entity) ?? 0)),
      (entity, parts) => {
        const reasons = new Set(parts.map((p) => p.skipReason));
        const reason = reasons.size === 1 ? parts[0]!.skipReason : undefined;
        const { status, rowsRead, rowsWritten, rowsRejected, rowsFiltered } = parts[0]!;
        return {
          entity,
          status,
          ...(reason === undefined ? {} : { skipReason: reason }),
          ...{ rowsRead, rowsWritten, rowsRejected, rowsFiltered },
          durationMs: Math.max(...parts.map((p) => p.durationMs)),
          rowsPerSecond: parts.reduce((total, p) => total + (p.rowsPerSecond ?? 0), 0),
        };
      },
    ),
    totals: {
      rowsRead: sum((e) => e.rowsRead),
      rowsWritten: sum((e) => e.rowsWritten),
      rowsRejected: sum((e) => e.rowsRejected),
      rowsFiltered: sum((e) => e.rowsFiltered),
    },
    mapping: mappingNotes(extra.after),
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

/** One mapping note as `run` and `status` print it: `note: Catalog.Product.CreatedBy: 12 × unmatched-user`. */
export function noteLine(count: MappingCount): string {
  return `note: ${count.entity}.${count.attribute}: ${count.count} × ${count.event}`;
}

/**
 * The mapping notes of the checkpoints (distinct durable rows: each batch's counts were added once,
 * when it became durable), partitions summed into their entity, sorted by entity, attribute, event.
 */
export function mappingNotes(checkpoints: readonly Checkpoint[]): MappingCount[] {
  const counts = new Map<string, MappingCount>();
  for (const c of checkpoints) {
    for (const n of countsFromNotes(parsePartitionId(c.entity)?.of ?? c.entity, c.notes)) {
      const key = JSON.stringify([n.entity, n.attribute, n.event]);
      counts.set(key, { ...n, count: (counts.get(key)?.count ?? 0) + n.count });
    }
  }
  return [...counts.values()].sort((a, b) =>
    `${a.entity} ${a.attribute} ${a.event}`.localeCompare(`${b.entity} ${b.attribute} ${b.event}`),
  );
}

function reportEntity(e: RunResult['entities'][number], writtenBefore: number): ReportEntity {
  const moved = Math.max(0, e.rowsWritten - writtenBefore);
  return {
    entity: e.entity,
    status: e.status,
    ...(e.skipReason === undefined ? {} : { skipReason: e.skipReason }),
    rowsRead: e.rowsRead,
    rowsWritten: e.rowsWritten,
    rowsRejected: e.rowsRejected,
    rowsFiltered: e.rowsFiltered,
    durationMs: e.durationMs,
    rowsPerSecond: e.durationMs > 0 ? Math.round((moved / e.durationMs) * 1000) : 0,
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
    const rate = e.rowsPerSecond ?? 0;
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
    formatCount(report.rowsPerSecond),
  ]);
  return textTable(
    ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'time', 'rows/s'],
    rows,
    new Set([2, 3, 4, 5, 6, 7]),
  );
}
