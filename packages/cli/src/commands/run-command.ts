// `ferry run`: the migration. Resumable by default (the same run id continues from its checkpoints),
// Ctrl-C aborts safely (rolls back the open transaction, keeps the checkpoints), progress per entity,
// a summary table, a JSON report file and a reject file. Any source kind into any target kind: the plan
// comes from session/run-plan.ts.

import { NdjsonFileRejectSink, run } from '@ferry/core';
import type { Plan, RunResult } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import type { ConfigHooks } from '../config/config-hooks.js';
import { ExitCode, type ExitCodeValue } from '../output/exit-codes.js';
import { exitCodeFor } from '../output/format-error.js';
import { ProgressView } from '../report/progress-view.js';
import { runReport, summaryTable, writeReport } from '../report/run-report.js';
import { connectionBudget } from '../session/connection-budget.js';
import { buildRunPlan } from '../session/run-plan.js';

/** Options of `ferry run`. */
export interface RunCommandOptions {
  readonly entity?: readonly string[];
  readonly run?: string;
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
  const built = await buildRunPlan(session, entities, runId);
  const { out } = context;
  try {
    const rejectsFile = session.path(config.rejects?.file ?? `.ferry/${runId}.rejects.ndjson`);
    const rejects = new NdjsonFileRejectSink(rejectsFile);
    const view = new ProgressView(out);
    const startedAt = new Date();
    let result: RunResult;
    try {
      result = await run(withHookStages(built.plan, hooks), {
        runId,
        checkpoints: built.checkpoints,
        ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
        ...(config.commitEvery === undefined ? {} : { commitEvery: config.commitEvery }),
        concurrency: connectionBudget(config).concurrency,
        rejects,
        rejectThreshold: {
          ...(config.rejects?.maxRows === undefined ? {} : { maxRows: config.rejects.maxRows }),
          ...(config.rejects?.maxRatio === undefined ? {} : { maxRatio: config.rejects.maxRatio }),
        },
        signal: context.signal,
        onEvent: view.onEvent,
      });
    } finally {
      view.stop();
      await rejects.close?.();
    }
    const target =
      config.target.kind === 'postgres'
        ? { kind: 'postgres', mode: config.target.mode ?? 'copy' }
        : { kind: config.target.kind };
    const report = runReport(result, {
      startedAt,
      target,
      mapping: built.stats.snapshot(),
      ...(built.userMap === undefined ? {} : { users: built.userMap.report }),
      ...(result.entities.some((e) => e.rowsRejected > 0) ? { rejectsFile } : {}),
    });
    const reportFile = session.path(config.report ?? `.ferry/${runId}.report.json`);
    await writeReport(reportFile, report);
    out.json({ command: 'run', reportFile, ...report });
    out.line(summaryTable(report));
    for (const entity of result.entities.filter((e) => e.error !== undefined))
      out.error(out.paint('red', `${entity.entity}: ${entity.error!.message} [${entity.error!.code}]`));
    if (result.entities.some((e) => e.error?.reason === 'unique-violation'))
      out.error(
        'The target already holds rows with these keys (an earlier run or load): `ferry reset --truncate --yes` empties the mapped target tables and forgets the checkpoints, to start over.',
      );
    for (const count of report.mapping)
      out.line(`note: ${count.entity}.${count.attribute}: ${count.count} × ${count.event}`);
    if (report.rejectsFile !== undefined) out.line(`Rejected rows are listed in ${report.rejectsFile}.`);
    out.line(`Report: ${reportFile}`);
    if (result.status === 'aborted')
      out.line(out.paint('yellow', `Aborted. Run \`ferry run\` again to resume run ${runId}.`));
    else if (result.status === 'failed')
      out.line(out.paint('red', `Failed. Fix the cause, then \`ferry run\` resumes run ${runId}.`));
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
    await built.close();
  }
};
