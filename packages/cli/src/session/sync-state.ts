// The state of a `ferry sync` in progress: its id, delete policy, entities and the diff it applies,
// written before the first row moves (`.ferry/<runId>.sync.json`), so a sync that was killed or
// aborted resumes with the same diff and checkpoints instead of diffing again; removed (kept as
// `.ferry/<syncId>.diff.json`) once the sync completes.

import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FerryError } from '@ferry/core';
import type { DeletePolicy, DiffReport } from '@ferry/adapters/migration';
import { replaceReport } from '../report/run-record.js';
import { runFiles } from '../report/run-files.js';
import type { CliSession } from './cli-session.js';
import { readOptionJson } from './option-file.js';

/** A sync in progress. */
export interface SyncState {
  readonly version: 1;
  readonly syncId: string;
  readonly startedAt: string;
  readonly deletes: DeletePolicy;
  readonly entities: readonly string[];
  readonly diff: DiffReport;
}

/** Where the files of the run's syncs live: beside the run report. */
export function syncFolder(session: CliSession): string {
  return dirname(runFiles(session, session.runId).report);
}

const statePath = (session: CliSession): string => join(syncFolder(session), `${session.runId}.sync.json`);

/** The sync in progress, if any. */
export async function readSyncState(session: CliSession): Promise<SyncState | undefined> {
  let text: string;
  try {
    text = await readFile(statePath(session), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as Partial<SyncState>;
  if (state.version !== 1 || typeof state.syncId !== 'string' || state.diff === undefined)
    throw new FerryError(
      `${statePath(session)} is not a sync state this ferry wrote: remove it to diff again`,
      {
        code: 'FERRY_SYNC_OPTIONS',
        reason: 'invalid-config',
        operation: 'sync',
      },
    );
  return state as SyncState;
}

/** Records the sync about to start. */
export async function writeSyncState(session: CliSession, state: SyncState): Promise<void> {
  await mkdir(syncFolder(session), { recursive: true });
  await replaceReport(statePath(session), state);
}

/** Ends the sync in progress: its state is kept as `<syncId>.diff.json`, the diff it applied. */
export async function endSyncState(session: CliSession, syncId: string): Promise<string> {
  const kept = join(syncFolder(session), `${syncId}.diff.json`);
  await rename(statePath(session), kept);
  return kept;
}

/** Reads a diff file (`ferry diff --json` output, or a DiffReport) and checks its shape. */
export async function readDiffFile(session: CliSession, file: string): Promise<DiffReport> {
  const parsed = ((await readOptionJson('--diff-file', session.path(file))) ?? {}) as { entities?: unknown };
  const keyList = (value: unknown): boolean =>
    Array.isArray(value) && value.every((k) => Array.isArray(k) && k.every((p) => typeof p === 'string'));
  const valid =
    Array.isArray(parsed.entities) &&
    parsed.entities.every(
      (e: Record<string, unknown>) =>
        typeof e.entity === 'string' &&
        keyList(e.onlyInSource) &&
        keyList(e.onlyInTarget) &&
        keyList(e.changed),
    );
  if (!valid)
    throw new FerryError(
      `${file} is not a diff: expected { entities: [{ entity, onlyInSource, onlyInTarget, changed }] } with keys as arrays of strings`,
      {
        code: 'FERRY_SYNC_OPTIONS',
        reason: 'invalid-config',
        operation: 'sync',
      },
    );
  return parsed as unknown as DiffReport;
}
