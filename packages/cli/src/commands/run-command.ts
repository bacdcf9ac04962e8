// `ferry run`: the migration. Resumable by default (the same run id continues from its checkpoints),
// Ctrl-C aborts safely (rolls back the open transaction, keeps the checkpoints), progress per entity,
// a summary table, a JSON report file (one per run, accumulated over its processes: report/run-record.ts)
// and a reject file. Any source kind into any target kind: the plan comes from session/run-plan.ts. It
// first runs the model check on the entities it is about to write and refuses on findings (exit 3)
// unless --skip-check; user references without users never pass. With --distributed it moves no row
// itself: it sends the run's jobs to pg-boss and follows the workers (`ferry worker`) from the
// checkpoints, with the same progress, summary, report and exit code.

import { isFerryError, NdjsonFileRejectSink, run } from '@ferry/core';
import type { Plan, RunEvent, RunResult } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import type { CheckFinding } from '../check/model-check.js';
import { collectCheckFindings, printFindings } from '../check/check-findings.js';
import { userSourceFindings } from '../check/user-source.js';
import type { CliSession } from '../session/cli-session.js';
import type { ConfigHooks } from '../config/config-hooks.js';
import { duplicateKeyHint, failedLine } from '../output/run-advice.js';
import { runFiles } from '../report/run-files.js';
import { ExitCode, type ExitCodeValue } from '../output/exit-codes.js';
import { exitCodeFor } from '../output/format-error.js';
import { ProgressView } from '../report/progress-view.js';
import { noteLine, runReport, summaryTable } from '../report/run-report.js';
import type { RunReport } from '../report/run-report.js';
import {
  closedProcess,
  closeKilled,
  readPreviousReport,
  replaceReport,
  stateAfterRun,
  writtenRows,
} from '../report/run-record.js';
import type { ProcessRecord } from '../report/run-record.js';
import { capYoungGeneration, letYoungGenerationGrow } from '../cli/young-generation.js';
import { configRunOptions } from '../session/config-run-options.js';
import { buildRunPlan } from '../session/run-plan.js';
import { distributedSettings, openRunQueue } from '../session/distributed-session.js';

/** Options of `ferry run`. */
export interface RunCommandOptions {
  readonly entity?: readonly string[];
  readonly run?: string;
  /** Start even when the model check has findings (user references without users still refuse). */
  readonly skipCheck?: boolean;
  /** Send the run's pipelines as jobs for `ferry worker` processes and follow them (moves no row itself). */
  readonly distributed?: boolean;
}

/**
 * What stops a run before it writes: every check finding, or with `skipCheck` only user references
 * that have no users source and no explicit `users.unmatched` (they would all become one value).
 */
async function refusals(
  session: CliSession,
  entities: readonly string[],
  skipCheck: boolean,
): Promise<CheckFinding[]> {
  if (!skipCheck) return collectCheckFindings(session, new Set(entities));
  const compiled = await session.compiled();
  const chosen = compiled.entities.filter((e) => entities.includes(e.name));
  return userSourceFindings(session, chosen, compiled.spec);
}

/** Appends the code config's custom stages to their entities' pipelines. */
export function withHookStages(plan: Plan, hooks: ConfigHooks): Plan {
  const extra = hooks.stages;
  if (extra === undefined) return plan;
  return {
    entities: plan.entities.map((p) =>
      (p.pass ?? 1) === 1 && extra[p.entity] !== undefined
        ? { ...p, stages: [...(p.stages ?? []), ...extra[p.entity]!] }
        : p,
    ),
  };
}

/** The exit code of a run result. */
export function exitCodeOfRun(result: RunResult): ExitCodeValue {
  if (result.status === 'completed' || result.status === 'already-completed') return ExitCode.ok;
  if (result.status === 'aborted') return ExitCode.aborted;
  const unreachable = result.entities.some(
    (e) => e.error !== undefined && exitCodeFor(e.error) === ExitCode.unreachable,
  );
  return unreachable ? ExitCode.unreachable : ExitCode.failed;
}

/** Runs (or resumes) the migration. */
export const runCommand: CommandHandler<RunCommandOptions> = async (context, options) => {
  const session = await context.session();
  const { config, hooks } = session.loaded;
  const runId = options.run ?? session.runId;
  const entities = await session.entityNames(options.entity);
  const { out } = context;
  const settings = options.distributed === true ? await distributedSettings(session) : undefined;
  const findings = await refusals(session, entities, options.skipCheck === true);
  if (findings.length > 0) {
    out.json({ command: 'run', runId, status: 'refused', findings });
    printFindings(out, findings);
    out.error(
      out.paint(
        'red',
        options.skipCheck === true
          ? 'Run refused: user references have no ODC users to match (see above). Nothing was written.'
          : 'Run refused: `ferry check` has findings (above). Fix them, or pass --skip-check to start anyway. Nothing was written.',
      ),
    );
    return ExitCode.findings;
  }
  // Start-up is over (config, catalog, mapping, model check): rows may now grow the young generation,
  // up to RUN_NEW_SPACE_BYTES (capYoungGeneration on each runner event; see young-generation.ts).
  letYoungGenerationGrow();
  const built = await buildRunPlan(session, entities, runId, settings === undefined ? 'exclusive' : 'shared');
  const queue =
    settings === undefined
      ? undefined
      : await openRunQueue(session, runId, settings).catch(async (error: unknown) => {
          await built.close();
          throw error;
        });
  try {
    const { rejects: rejectsFile, report: reportFile } = runFiles(session, runId);
    const rejects = new NdjsonFileRejectSink(rejectsFile);
    const view = new ProgressView(out);
    // The report is the run's record: earlier processes are kept, a killed one is closed from the
    // checkpoints, and this process is recorded as running before it moves a row.
    const before = await built.checkpoints.list(runId);
    const previous = await readPreviousReport<RunReport>(reportFile, runId);
    const earlier = closeKilled(previous?.processes ?? [], before);
    const current: ProcessRecord = {
      startedAt: new Date().toISOString(),
      status: 'running',
      rowsWrittenBefore: writtenRows(before),
    };
    if (previous?.status !== 'completed')
      await replaceReport(reportFile, {
        ...(previous ?? { runId }),
        status: 'running',
        processes: [...earlier, current],
      });
    let result: RunResult;
    try {
      const plan = withHookStages(built.plan, hooks);
      const onEvent = (event: RunEvent): void => {
        view.onEvent(event);
        capYoungGeneration();
      };
      const signal =
        built.lost === undefined ? context.signal : AbortSignal.any([context.signal, built.lost]);
      result =
        queue !== undefined && settings !== undefined
          ? await (
              await import('@ferry/adapters/distributed')
            ).runDistributed(plan, {
              queue,
              pool: await session.target(),
              checkpoints: built.checkpoints,
              settings,
              entities,
              signal,
              onEvent,
            })
          : await run(plan, {
              runId,
              checkpoints: built.checkpoints,
              ...configRunOptions(config),
              rejects,
              signal,
              onEvent,
            });
    } finally {
      view.stop();
      await rejects.close?.();
    }
    const target = session.targetKind.report(config.target);
    const after = await stateAfterRun(built.checkpoints, runId, result, before);
    // Running a completed run again changes nothing: its report stays the record of the real run.
    const kept = result.status === 'already-completed' && previous?.status === 'completed';
    const report: RunReport = kept
      ? previous
      : runReport(result, {
          processes: [...earlier, closedProcess(current, result.status, new Date(), after.rowsWritten)],
          target,
          before,
          after: after.checkpoints,
          ...(built.userMap === undefined ? {} : { users: built.userMap.report }),
          // A distributed run's rejected rows are in each worker's own file, on its host.
          ...(queue === undefined && result.entities.some((e) => e.rowsRejected > 0) ? { rejectsFile } : {}),
        });
    if (!kept) await replaceReport(reportFile, report);
    out.json({ command: 'run', reportFile, ...report });
    out.line(summaryTable(report));
    for (const entity of result.entities.filter((e) => e.error !== undefined))
      out.error(out.paint('red', `${entity.entity}: ${entity.error!.message} [${entity.error!.code}]`));
    if (result.entities.some((e) => e.error?.reason === 'unique-violation'))
      out.error(duplicateKeyHint(runId, session.runId));
    for (const count of report.mapping) out.line(noteLine(count));
    if (after.unread !== undefined)
      out.error(
        `note: the run's state could not be read after the run${isFerryError(after.unread) ? ` [${after.unread.code}]` : ''}: the report's notes are those of its start; the next \`ferry run\` completes them.`,
      );
    if (report.rejectsFile !== undefined) out.line(`Rejected rows are listed in ${report.rejectsFile}.`);
    else if (queue !== undefined && report.totals.rowsRejected > 0)
      out.line(`Rejected rows are listed in each worker's ${rejectsFile}, on its host.`);
    out.line(kept ? `Report: ${reportFile} (kept: the run's own report)` : `Report: ${reportFile}`);
    // Another process holds the run now: this one stopped (rolled back), and says why, exit 6.
    if (built.lost?.aborted === true) throw built.lost.reason;
    if (result.status === 'aborted' && queue !== undefined)
      out.line(
        out.paint(
          'yellow',
          `Stopped following run ${runId}; its workers go on. \`ferry status\` shows it, \`ferry run --distributed\` follows it again.`,
        ),
      );
    else if (result.status === 'aborted')
      out.line(out.paint('yellow', `Aborted. Run \`ferry run\` again to resume run ${runId}.`));
    else if (result.status === 'failed') out.line(out.paint('red', failedLine(result, runId, session.runId)));
    else
      out.line(
        out.paint(
          'green',
          result.status === 'already-completed'
            ? `Run ${runId} was already complete.`
            : `Run ${runId} completed.`,
        ),
      );
    return exitCodeOfRun(result);
  } finally {
    await queue?.close();
    await built.close();
  }
};
