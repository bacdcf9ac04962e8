// `ferry reset`: forgets a run's checkpoints so the next `run` starts from the beginning. It takes the
// run's lock first, so it never pulls the checkpoints from under a live run. Without --truncate target
// rows stay (a copy-mode re-run would then hit duplicate keys); with --truncate the run's mapped target
// tables are emptied in one transaction. Both cannot be undone, hence --yes. The run's report, rejects
// and verification files are renamed with the reset's time, so the next run starts a new report.
// A distributed run is refused while a job is active within its expiry (a killed worker's, since reset
// holds the run's lock: it has not expired yet), naming when it does; a job past its expiry is expired
// first with pg-boss's own expiry (no live pg-boss may be left to do it), and the queue is removed with
// the checkpoints.

import { FerryError } from '@ferry/core';
import { readCluster } from '../session/cluster-view.js';
import type { ClusterView } from '../session/cluster-view.js';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { archiveRunFiles } from '../report/archive-run-files.js';
import { runFiles } from '../report/run-files.js';
import type { CliSession } from '../session/cli-session.js';
import { sessionRunLock } from '../session/session-lock.js';
import { kinds } from '../kinds/kinds.js';

/** Options of `ferry reset`. */
export interface ResetOptions {
  readonly run?: string;
  readonly yes?: boolean;
  /** Also empty the run's mapped target tables (postgres targets). */
  readonly truncate?: boolean;
}

/** Empties the run's mapped entities' target (the target kind's `truncate`). */
async function truncateRun(session: CliSession): Promise<{ emptied: readonly string[]; rows: number }> {
  const target = session.loaded.config.target;
  const kind = kinds.targetFor('reset --truncate', target);
  const wanted = new Set(await session.entityNames());
  const entities = (await session.compiled()).entities.filter((e) => wanted.has(e.name));
  // A kind that declares `reset --truncate` has the ability (checked when it registers).
  return kind.truncate!(session, target, entities);
}

/**
 * `FERRY_RUN_JOBS_ACTIVE` (exit 6): a job of the run is within its expiry, and no process holds the run,
 * so it is a killed worker's; the message names when the last one expires (the state database's clock).
 */
function jobsActive(runId: string, cluster: ClusterView): FerryError {
  const { active, activeUntil = '' } = cluster;
  const seconds = Math.max(1, Math.ceil((Date.parse(activeUntil) - Date.now()) / 1000));
  return new FerryError(
    `run "${runId}" has ${active.length} active job(s) (${active.slice(0, 5).join(', ')}): no worker holds the run now, so they are a killed worker's; the last expires at ${activeUntil} (in about ${seconds} s), reset then`,
    { code: 'FERRY_RUN_JOBS_ACTIVE', reason: 'invalid-config', operation: 'reset' },
  );
}

/** The run's queue schema and the state pool, for pg-boss's expiry and the queue's removal. */
async function queueStore(session: CliSession) {
  const jobs = await import('@ferry/adapters/distributed');
  const { schema } = jobs.resolveDistributedOptions(session.loaded.config.distributed ?? {});
  return { jobs, schema, pool: await session.target() };
}

/** The run's cluster after pg-boss's expiry ran once (a killed worker's job past its expiry moves on). */
async function expiredCluster(session: CliSession, runId: string): Promise<ClusterView | undefined> {
  const first = await readCluster(session, runId);
  if (first === undefined || first.expired.length === 0) return first;
  const { jobs, schema, pool } = await queueStore(session);
  await jobs.expireJobs(pool, schema);
  return readCluster(session, runId);
}

/** Removes the run's queue and jobs, so its next distributed run sends them anew. */
async function deleteQueue(session: CliSession, runId: string): Promise<void> {
  const { jobs, schema, pool } = await queueStore(session);
  await jobs.deleteRunQueue(pool, schema, runId);
}

/** Deletes the run's checkpoints (and with `truncate`, the rows of its target tables). */
export const resetCommand: CommandHandler<ResetOptions> = async (context, options) => {
  const session = await context.session();
  const runId = options.run ?? session.runId;
  const truncate = options.truncate === true;
  if (truncate) kinds.targetFor('reset --truncate', session.loaded.config.target);
  if (options.yes !== true) {
    const what = truncate ? 'and empties its mapped target tables' : '';
    throw new FerryError(
      `reset forgets every checkpoint of run "${runId}"${what === '' ? '' : ` ${what}`}: pass --yes to confirm`,
      { code: 'FERRY_RESET_UNCONFIRMED', reason: 'invalid-config', operation: 'reset' },
    );
  }
  const lock = await sessionRunLock(session, runId);
  try {
    const cluster = await expiredCluster(session, runId);
    if (cluster !== undefined && cluster.active.length > 0) throw jobsActive(runId, cluster);
    const store = await session.checkpoints();
    const before = await store.list(runId);
    // Checkpoints go first: a failed TRUNCATE then leaves rows without checkpoints (the next run
    // reports duplicate keys and this command can be repeated), never checkpoints without rows.
    await store.delete(runId);
    if (cluster !== undefined) await deleteQueue(session, runId);
    const { emptied: tables, rows } = truncate ? await truncateRun(session) : { emptied: [], rows: 0 };
    // The next run starts a new report; the old one (and its rejects, verification) is kept renamed.
    const kept = await archiveRunFiles(runFiles(session, runId));
    const { out } = context;
    out.json({
      command: 'reset',
      runId,
      forgotten: before.map((c) => c.entity),
      ...(truncate ? { truncated: tables, rowsDeleted: rows } : {}),
      kept,
    });
    out.line(`Forgot ${before.length} checkpoint(s) of run ${runId}.`);
    if (truncate) out.line(`Emptied ${tables.length} target table(s) (${rows} row(s)).`);
    else if (before.length > 0)
      out.note(
        'Target rows were not deleted: `ferry reset --truncate --yes` also empties the mapped target tables (copy mode needs that to start over).',
      );
    for (const path of kept) out.line(`Kept the previous run's file as ${path}.`);
    return ExitCode.ok;
  } finally {
    await lock.release();
  }
};
