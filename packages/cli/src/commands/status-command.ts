// `ferry status`: a run's progress against its plan (per entity: state, counters, last save; a
// partitioned entity as one line with its key ranges under it), read from the run's checkpoint store
// without touching the source. Entities of the plan with no checkpoint are listed as not started; a
// run that is not complete is "in progress" while a process holds its lock, else "interrupted" (run
// `ferry run` to resume it; a distributed one, `ferry run --distributed` and `ferry worker`s). `-e`
// scopes it as `run -e` does: only those entities (and their second passes) make the plan, so a run
// scoped with `run -e X` reads as completed by `status -e X`. The mapping notes (unmatched users,
// deleted static records) are the checkpoints', as in the report.
// A distributed run also shows its jobs per state and its live processes (workers, coordinator); an
// active job past its expiry is shown as a killed worker's (`expired`), not as running.

import { parsePartitionId } from '@ferry/core';

import type { Checkpoint } from '@ferry/core';
import { pass2Name } from '@ferry/mapping';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { failedLine, runFlag } from '../output/run-advice.js';
import { formatCount, textTable } from '../output/text-table.js';
import { groupPartitions, withPartitionRows } from '../report/partition-groups.js';
import { mappingNotes, noteLine } from '../report/run-report.js';
import type { RunReport } from '../report/run-report.js';
import { runFiles } from '../report/run-files.js';
import { readPreviousReport } from '../report/run-record.js';
import type { CliSession } from '../session/cli-session.js';
import { runIsLive } from '../session/session-lock.js';
import { readCluster } from '../session/cluster-view.js';
import type { ClusterView } from '../session/cluster-view.js';

/** Options of `ferry status`. */
export interface StatusOptions {
  readonly run?: string;
  /** Only these entities (as `run -e`): the plan, lines and state are theirs. Default: the whole plan. */
  readonly entity?: readonly string[];
}

/** The state of a run as `status` reports it. */
export type RunState = 'not started' | 'in progress' | 'interrupted' | 'completed';

/** The pipeline names of the session's plan: the chosen entities, then their second passes. */
async function plannedEntities(session: CliSession, requested?: readonly string[]): Promise<string[]> {
  const wanted = new Set(await session.entityNames(requested));
  const chosen = (await session.compiled()).entities.filter((e) => wanted.has(e.name));
  return [
    ...chosen.map((e) => e.name),
    ...chosen.filter((e) => e.deferred.length > 0).map((e) => pass2Name(e.name)),
  ];
}

/**
 * What to do with an interrupted run: resume it (with `--run` when it is not the config's run; a
 * distributed run with its coordinator and workers), or, when its last process failed because every row
 * of an entity was rejected (the run's report says so), reset it first, as `ferry run` advises.
 */
async function resumeAdvice(session: CliSession, runId: string, distributed: boolean): Promise<string> {
  const flag = runFlag(runId, session.runId);
  if (distributed)
    return `Run \`ferry run --distributed${flag}\` and start \`ferry worker${flag}\` on each host to resume run ${runId}.`;
  const report = await readPreviousReport<RunReport>(runFiles(session, runId).report, runId);
  const entities = (report?.entities ?? []).map(({ error }) =>
    typeof error?.code === 'string'
      ? { error: { code: error.code, ...(typeof error.reason === 'string' ? { reason: error.reason } : {}) } }
      : {},
  );
  if (report?.status === 'failed') return failedLine({ entities }, runId, session.runId);
  return `Run \`ferry run${flag}\` to resume run ${runId}.`;
}

/** Prints the run's progress against its plan. */
export const statusCommand: CommandHandler<StatusOptions> = async (context, options) => {
  const session = await context.session();
  const runId = options.run ?? session.runId;
  const store = await session.checkpoints();
  const planned = await plannedEntities(session, options.entity);
  // Scoped: a checkpoint counts when its pipeline (a partition's entity) is in the plan.
  const inScope = (entity: string): boolean =>
    options.entity === undefined || planned.includes(parsePartitionId(entity)?.of ?? entity);
  const checkpoints: readonly Checkpoint[] = [...(await store.list(runId))]
    .filter((c) => inScope(c.entity))
    .sort((a, b) => a.entity.localeCompare(b.entity));
  const lines = groupPartitions(checkpoints, (_entity, parts) => ({
    ...parts[0]!,
    position: null,
    sequence: parts.reduce((n, c) => n + c.sequence, 0),
    updatedAt: parts
      .map((c) => c.updatedAt)
      .sort()
      .at(-1)!,
  }));
  const saved = new Map(lines.map((line) => [line.entity, line]));
  const names = [...new Set([...planned, ...saved.keys()])].sort((a, b) => a.localeCompare(b));
  const rows = names.map((entity) => ({ entity, line: saved.get(entity) }));
  const complete = saved.size > 0 && rows.every((r) => r.line?.status === 'completed');
  const live = !complete && (await runIsLive(session, runId));
  const state: RunState = complete
    ? 'completed'
    : live
      ? 'in progress'
      : saved.size === 0
        ? 'not started'
        : 'interrupted';
  const { out } = context;
  const notStarted = rows.filter((r) => r.line === undefined).map((r) => r.entity);
  const mapping = mappingNotes(checkpoints);
  const cluster = await readCluster(session, runId);
  out.json({
    command: 'status',
    runId,
    state,
    checkpoints,
    entities: lines,
    notStarted,
    mapping,
    ...(cluster === undefined ? {} : { distributed: cluster }),
  });
  out.line(`Run ${runId}: ${state}.`);
  if (saved.size > 0) {
    out.line(
      textTable(
        ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'batches', 'updated'],
        rows.flatMap(({ entity, line }) =>
          line === undefined
            ? [[entity, 'not started', '', '', '', '', '', '']]
            : withPartitionRows([line], (c, depth) => [
                depth === 0 ? c.entity : `  ${c.entity}`,
                c.status,
                formatCount(c.rowsRead),
                formatCount(c.rowsWritten),
                formatCount(c.rowsRejected),
                formatCount(c.rowsFiltered),
                c.sequence,
                c.updatedAt,
              ]),
        ),
        new Set([2, 3, 4, 5, 6]),
      ),
    );
  }
  for (const count of mapping) out.line(noteLine(count));
  if (cluster !== undefined) for (const line of clusterLines(cluster)) out.line(line);
  if (state === 'interrupted') out.note(await resumeAdvice(session, runId, cluster !== undefined));
  return ExitCode.ok;
};

/** The jobs and processes of a distributed run, a few lines. */
function clusterLines(cluster: ClusterView): string[] {
  const { jobs } = cluster;
  const expired = jobs.expired > 0 ? `, ${jobs.expired} expired` : '';
  const lines = [
    `Jobs: ${jobs.active} active${expired}, ${jobs.created + jobs.retry} waiting, ${jobs.completed} completed, ${jobs.failed} failed.`,
  ];
  if (cluster.active.length > 0) lines.push(`  running: ${cluster.active.join(', ')}`);
  if (cluster.expired.length > 0)
    lines.push(
      `  expired (a killed worker's; a worker retries them, \`ferry reset\` removes them): ${cluster.expired.join(', ')}`,
    );
  for (const job of cluster.failed)
    lines.push(`  failed: ${job.pipeline}: ${job.error?.message ?? ''} [${job.error?.code ?? ''}]`);
  lines.push(`Processes: ${cluster.processes.length}`);
  for (const p of cluster.processes)
    lines.push(`  ${p.name}${p.address === '' ? '' : ` from ${p.address}`}, since ${p.since}`);
  return lines;
}
