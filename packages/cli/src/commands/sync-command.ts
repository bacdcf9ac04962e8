// `ferry sync`: the catch-up before cutover. Diffs the mapped source against the target (or reads a
// diff file), then applies it through the mapping: upserts the new and changed rows, deletes the rows
// gone from the source (per --deletes), exactly-once with its checkpoints in the target. A killed or
// aborted sync resumes with the diff it saved (session/sync-state.ts); a summary, a JSON report and a
// reject file as `ferry run` writes them; exit codes as `run`'s.

import { join } from 'node:path';
import { isFerryError, NdjsonFileRejectSink } from '@ferry/core';
import type { FerryError } from '@ferry/core';
import type { DeletePolicy, DiffReport, SyncReport } from '@ferry/adapters/migration';
import type { CommandHandler } from '../cli/command-context.js';
import { kinds } from '../kinds/kinds.js';
import type { CliOutput } from '../output/cli-output.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';
import { ProgressView } from '../report/progress-view.js';
import { replaceReport } from '../report/run-record.js';
import type { CliSession } from '../session/cli-session.js';
import { configRunOptions } from '../session/config-run-options.js';
import { sessionRunLock } from '../session/session-lock.js';
import {
  endSyncState,
  readDiffFile,
  readSyncState,
  syncFolder,
  writeSyncState,
} from '../session/sync-state.js';
import type { SyncState } from '../session/sync-state.js';
import { exitCodeOfRun } from './run-command.js';

/** Options of `ferry sync`. */
export interface SyncCommandOptions {
  readonly entity?: readonly string[];
  readonly deletes?: DeletePolicy;
  /** Apply this diff (`ferry diff --json` output) instead of diffing now. */
  readonly diffFile?: string;
}

// Failures a resume with the same diff would only repeat: the next sync diffs again.
const STALE = new Set(['FERRY_SYNC_DIFF_STALE', 'FERRY_PG_DELETE_MISSING']);

/** The diff of the entities now (`ferry diff`'s engine: range checksums in both databases). */
function diffNow(session: CliSession, entities: readonly string[], signal: AbortSignal): Promise<DiffReport> {
  const target = session.loaded.config.target;
  return kinds.targetFor('diff', target).diff!(session, target, entities, signal);
}

/** Keys a sync would move (duplicates are not: no upsert by key restores a lost twin). */
const keysToMove = (diff: DiffReport): number =>
  diff.entities.reduce((n, e) => n + e.onlyInSource.length + e.onlyInTarget.length + e.changed.length, 0);

/** Keys no sync by key can restore: held by more source rows than target rows. */
const keysLeft = (diff: DiffReport): number =>
  diff.entities.reduce((n, e) => n + (e.duplicates?.length ?? 0), 0);

/** The sync to run (none when no key needs moving), and the keys it cannot restore. */
interface SyncToRun {
  readonly state?: SyncState;
  /** A new sync from a diff file: check it against the target before writing. */
  readonly fromFile?: boolean;
  readonly left: number;
}

/** The sync to run: the one in progress, or a new one over a fresh diff; none when nothing differs. */
async function syncToRun(
  session: CliSession,
  options: SyncCommandOptions,
  out: CliOutput,
  signal: AbortSignal,
): Promise<SyncToRun> {
  const pending = await readSyncState(session);
  if (pending !== undefined) {
    out.line(`Resuming sync ${pending.syncId} (started ${pending.startedAt}) with the diff it saved.`);
    return { state: pending, left: keysLeft(pending.diff) };
  }
  const entities = await session.entityNames(options.entity);
  const diff =
    options.diffFile === undefined
      ? await diffNow(session, entities, signal)
      : await readDiffFile(session, options.diffFile);
  for (const e of diff.entities.filter((x) => (x.duplicates?.length ?? 0) > 0))
    out.error(
      out.paint(
        'yellow',
        `${e.entity}: ${e.duplicates!.length} key(s) held by more source rows than target rows: a sync by key cannot restore them (\`ferry diff\` lists them)`,
      ),
    );
  if (keysToMove(diff) === 0) return { left: keysLeft(diff) };
  const startedAt = new Date().toISOString();
  const syncId = `${session.runId}-sync-${startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const state: SyncState = {
    version: 1,
    syncId,
    startedAt,
    deletes: options.deletes ?? 'delete',
    entities,
    diff,
  };
  await writeSyncState(session, state);
  return { state, left: keysLeft(diff), fromFile: options.diffFile !== undefined };
}

/** The end of a sync that moved what it could but left keys a sync by key cannot restore: exit 3. */
function leftOver(out: CliOutput, left: number): typeof ExitCode.findings {
  out.error(
    out.paint(
      'red',
      `The target still differs from the source: ${left} key(s) held by more source rows than target rows. ` +
        '`ferry diff` lists them: remove the extra source rows (or key the entity by unique attributes), then `ferry sync` again.',
    ),
  );
  return ExitCode.findings;
}

/** The report as JSON: errors by code and message. */
function reportJson(report: SyncReport): Record<string, unknown> {
  const error = (e: FerryError | undefined) =>
    e === undefined ? {} : { error: { code: e.code, message: e.message } };
  return {
    syncId: report.runId,
    status: report.status,
    deletes: report.deletes,
    durationMs: report.durationMs,
    entities: report.entities.map((e) => ({ ...e, ...error(e.error) })),
    pipelines: report.run.entities.map((p) => ({ ...p, ...error(p.error) })),
  };
}

function printSync(out: CliOutput, report: SyncReport): void {
  out.line(
    textTable(
      ['entity', 'inserted', 'updated', 'deleted', 'kept', 'rejected', 'status'],
      report.entities.map((e) => [
        e.entity,
        formatCount(e.inserted),
        formatCount(e.updated),
        formatCount(e.deleted),
        formatCount(e.kept),
        formatCount(e.rejected),
        e.status === 'completed' ? out.paint('green', 'ok') : out.paint('red', e.status),
      ]),
      new Set([1, 2, 3, 4, 5]),
    ),
  );
  for (const e of report.entities.filter((x) => x.keptKeys !== undefined && x.keptKeys.length > 0))
    out.line(
      `${e.entity}: kept ${e.keptKeys!.length} row(s) gone from the source: ${e
        .keptKeys!.slice(0, 20)
        .map((k) => k.join('/'))
        .join(', ')}${e.keptKeys!.length > 20 ? ', ... (all in the report)' : ''}`,
    );
  for (const e of report.entities.filter((x) => x.error !== undefined))
    out.error(out.paint('red', `${e.entity}: ${e.error!.message} [${e.error!.code}]`));
}

/** `ferry sync`. */
export const syncCommand: CommandHandler<SyncCommandOptions> = async (context, options) => {
  const { out } = context;
  const session = await context.session();
  const { config } = session.loaded;
  const target = kinds.targetFor('sync', config.target);
  const lock = await sessionRunLock(session, session.runId);
  try {
    const { state, left, fromFile } = await syncToRun(session, options, out, context.signal);
    if (state === undefined) {
      out.json({
        command: 'sync',
        status: left > 0 ? 'keys-left' : 'nothing-to-sync',
        keysLeft: left,
        entities: [],
      });
      if (left > 0) return leftOver(out, left);
      out.line(out.paint('green', 'Nothing to sync: the target holds the mapped source.'));
      return ExitCode.ok;
    }
    const folder = syncFolder(session);
    const rejectsFile = join(folder, `${state.syncId}.rejects.ndjson`);
    const reportFile = join(folder, `${state.syncId}.report.json`);
    const rejects = new NdjsonFileRejectSink(rejectsFile);
    const view = new ProgressView(out);
    let report: SyncReport;
    try {
      report = await target.sync!(session, config.target, {
        entities: state.entities,
        diff: state.diff,
        syncId: state.syncId,
        deletes: state.deletes,
        checkDiff: fromFile === true,
        run: {
          ...configRunOptions(config),
          rejects,
          signal: lock.lost === undefined ? context.signal : AbortSignal.any([context.signal, lock.lost]),
          onEvent: (event) => view.onEvent(event),
        },
      });
    } catch (error) {
      if (isFerryError(error) && STALE.has(error.code)) await endSyncState(session, state.syncId);
      throw error;
    } finally {
      view.stop();
      await rejects.close?.();
    }
    const json = {
      ...reportJson(report),
      ...(report.entities.some((e) => e.rejected > 0) ? { rejectsFile } : {}),
    };
    await replaceReport(reportFile, json);
    out.json({ command: 'sync', reportFile, ...json });
    printSync(out, report);
    if (json.rejectsFile !== undefined) out.line(`Rejected rows are listed in ${rejectsFile}.`);
    out.line(`Report: ${reportFile}`);
    const code = exitCodeOfRun(report.run);
    if (code === ExitCode.ok) {
      const kept = await endSyncState(session, state.syncId);
      out.line(out.paint('green', `Sync ${state.syncId} completed (its diff: ${kept}).`));
      if (left > 0) return leftOver(out, left);
    } else if (report.entities.some((e) => e.error !== undefined && STALE.has(e.error.code))) {
      await endSyncState(session, state.syncId);
      out.line(
        out.paint(
          'red',
          'The source or target changed after the diff: run `ferry sync` again, it diffs again.',
        ),
      );
    } else
      out.line(out.paint('yellow', `Sync ${state.syncId} stopped: run \`ferry sync\` again to resume it.`));
    return code;
  } finally {
    await lock.release();
  }
};
