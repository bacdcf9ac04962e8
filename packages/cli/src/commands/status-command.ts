// `ferry status`: a run's progress against its plan (per entity: state, counters, last save), read
// from the run's checkpoint store without touching the source. Entities of the plan with no checkpoint
// are listed as not started; a run that is not complete is "in progress" while a process holds its
// lock, else "interrupted" (run `ferry run` to resume it).

import { pass2Name } from '@ferry/mapping';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';
import type { CliSession } from '../session/cli-session.js';
import { runIsLive } from '../session/session-lock.js';

/** Options of `ferry status`. */
export interface StatusOptions {
  readonly run?: string;
}

/** The state of a run as `status` reports it. */
export type RunState = 'not started' | 'in progress' | 'interrupted' | 'completed';

/** The pipeline names of the session's plan: the chosen entities, then their second passes. */
async function plannedEntities(session: CliSession): Promise<string[]> {
  const wanted = new Set(await session.entityNames());
  const chosen = (await session.compiled()).entities.filter((e) => wanted.has(e.name));
  return [
    ...chosen.map((e) => e.name),
    ...chosen.filter((e) => e.deferred.length > 0).map((e) => pass2Name(e.name)),
  ];
}

/** Prints the run's progress against its plan. */
export const statusCommand: CommandHandler<StatusOptions> = async (context, options) => {
  const session = await context.session();
  const runId = options.run ?? session.runId;
  const store = await session.checkpoints();
  const saved = new Map((await store.list(runId)).map((c) => [c.entity, c]));
  const planned = await plannedEntities(session);
  const names = [...new Set([...planned, ...saved.keys()])].sort((a, b) => a.localeCompare(b));
  const rows = names.map((entity) => ({ entity, checkpoint: saved.get(entity) }));
  const complete = saved.size > 0 && rows.every((r) => r.checkpoint?.status === 'completed');
  const live = !complete && (await runIsLive(session, runId));
  const state: RunState = complete
    ? 'completed'
    : live
      ? 'in progress'
      : saved.size === 0
        ? 'not started'
        : 'interrupted';
  const { out } = context;
  const notStarted = rows.filter((r) => r.checkpoint === undefined).map((r) => r.entity);
  out.json({ command: 'status', runId, state, checkpoints: [...saved.values()], notStarted });
  out.line(`Run ${runId}: ${state}.`);
  if (saved.size > 0) {
    out.line(
      textTable(
        ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'batches', 'updated'],
        rows.map(({ entity, checkpoint: c }) =>
          c === undefined
            ? [entity, 'not started', '', '', '', '', '', '']
            : [
                entity,
                c.status,
                formatCount(c.rowsRead),
                formatCount(c.rowsWritten),
                formatCount(c.rowsRejected),
                formatCount(c.rowsFiltered),
                c.sequence,
                c.updatedAt,
              ],
        ),
        new Set([2, 3, 4, 5, 6]),
      ),
    );
  }
  if (state === 'interrupted') out.note(`Run \`ferry run\` to resume run ${runId}.`);
  return ExitCode.ok;
};
