// The run report as a record over all the processes of one run: each `ferry run` appends its process
// (start, end, rows it made durable) to the report file, replaced atomically, so a report after
// resumes covers the whole run, and a process killed without a chance to write (SIGKILL) is closed by
// the next one from the checkpoints. Row counts and notes come from the checkpoints, never from memory.

import { rename, readFile } from 'node:fs/promises';
import { isPartitionLayoutId } from '@ferry/core';
import type { Checkpoint, CheckpointStore, RunResult, RunStatus } from '@ferry/core';
import { writeReport } from './run-report.js';

/** One process of a run, as recorded in the report. Times are ISO strings; durations in ms. */
export interface ProcessRecord {
  readonly startedAt: string;
  /**
   * `running` while it runs; `killed` when it ended without recording its end (SIGKILL, power loss):
   * the next process closes it, with `endedAt` its last durable checkpoint.
   */
  readonly status: RunStatus | 'running' | 'killed';
  /** Rows of the run durable (written) when the process started. */
  readonly rowsWrittenBefore: number;
  readonly endedAt?: string;
  /** Rows this process made durable (written). */
  readonly rowsWritten?: number;
  readonly durationMs?: number;
  /** `rowsWritten / durationMs`, per second: this process's own rate. */
  readonly rowsPerSecond?: number;
}

/** Rows written by a run so far, from its checkpoints (range layouts are bookkeeping, not rows). */
export function writtenRows(checkpoints: readonly Checkpoint[]): number {
  return checkpoints.filter((c) => !isPartitionLayoutId(c.entity)).reduce((sum, c) => sum + c.rowsWritten, 0);
}

/** A process record closed at `endedAt` with the rows the run held then. */
export function closedProcess(
  process: ProcessRecord,
  status: ProcessRecord['status'],
  endedAt: Date,
  rowsWrittenNow: number,
): ProcessRecord {
  const durationMs = Math.max(0, endedAt.getTime() - Date.parse(process.startedAt));
  const rowsWritten = Math.max(0, rowsWrittenNow - process.rowsWrittenBefore);
  return {
    ...process,
    status,
    endedAt: endedAt.toISOString(),
    rowsWritten,
    durationMs,
    rowsPerSecond: durationMs > 0 ? Math.round((rowsWritten / durationMs) * 1000) : 0,
  };
}

/**
 * Earlier processes with their ends: one still `running` was killed; it made durable what the run
 * holds now beyond what it started with, and its last durable checkpoint is its end.
 */
export function closeKilled(
  processes: readonly ProcessRecord[],
  checkpoints: readonly Checkpoint[],
): ProcessRecord[] {
  return processes.map((p) => {
    if (p.status !== 'running') return p;
    const saves = checkpoints.map((c) => Date.parse(c.updatedAt)).filter((t) => t >= Date.parse(p.startedAt));
    const end = new Date(saves.length === 0 ? Date.parse(p.startedAt) : Math.max(...saves));
    return closedProcess(p, 'killed', end, writtenRows(checkpoints));
  });
}

/** Rows per second of the whole run: the rows each process moved over the time each one ran. */
export function runRate(processes: readonly ProcessRecord[]): number {
  const timed = processes.filter((p) => p.durationMs !== undefined && p.rowsWritten !== undefined);
  const ms = timed.reduce((sum, p) => sum + p.durationMs!, 0);
  const rows = timed.reduce((sum, p) => sum + p.rowsWritten!, 0);
  return ms > 0 ? Math.round((rows / ms) * 1000) : 0;
}

/**
 * The report file of `runId` as last written, or `undefined` when there is none, it is not JSON, or it
 * belongs to another run (a config's fixed `report` path reused): then a new record starts.
 */
export async function readPreviousReport<T extends { runId: string }>(
  path: string,
  runId: string,
): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const report = JSON.parse(text) as T;
    return report.runId === runId ? report : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the report file atomically (a temp file renamed over it): never a half-written record. */
export async function replaceReport(path: string, report: unknown): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeReport(temp, report);
  await rename(temp, path);
}

/** The run's state after a process: its checkpoints, and the rows it holds written. */
export interface StateAfterRun {
  /** The checkpoints now, or those of the process's start when they could not be read. */
  readonly checkpoints: readonly Checkpoint[];
  readonly rowsWritten: number;
  /** Why the checkpoints could not be read (the target, which holds them, went down), if so. */
  readonly unread?: unknown;
}

/**
 * Reads the run's checkpoints after a process. When the store cannot be read (a PostgreSQL state on a
 * target that stopped, the very fault that ended the run), the report is still written: rows come
 * from the result (counted from the checkpoints each entity saved) and notes are those of the start;
 * the next `ferry run` reads the checkpoints again and completes them.
 */
export async function stateAfterRun(
  store: Pick<CheckpointStore, 'list'>,
  runId: string,
  result: RunResult,
  before: readonly Checkpoint[],
): Promise<StateAfterRun> {
  try {
    const checkpoints = await store.list(runId);
    return { checkpoints, rowsWritten: writtenRows(checkpoints) };
  } catch (unread) {
    const rowsWritten = result.entities
      .filter((e) => !isPartitionLayoutId(e.entity))
      .reduce((sum, e) => sum + e.rowsWritten, 0);
    return { checkpoints: before, rowsWritten: Math.max(rowsWritten, writtenRows(before)), unread };
  }
}
