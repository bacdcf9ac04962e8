// `ferry status`: the checkpoints of a run (per entity: state, counters, last save), read from the
// run's checkpoint store without touching the source.

import type { Checkpoint } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';

/** Options of `ferry status`. */
export interface StatusOptions {
  readonly run?: string;
}

/** Prints the checkpoints of the run. */
export const statusCommand: CommandHandler<StatusOptions> = async (context, options) => {
  const session = await context.session();
  const runId = options.run ?? session.runId;
  const store = await session.checkpoints();
  const checkpoints: readonly Checkpoint[] = [...(await store.list(runId))].sort((a, b) =>
    a.entity.localeCompare(b.entity),
  );
  const { out } = context;
  const state =
    checkpoints.length === 0
      ? 'not started'
      : checkpoints.every((c) => c.status === 'completed')
        ? 'completed'
        : 'in progress';
  out.json({ command: 'status', runId, state, checkpoints });
  out.line(`Run ${runId}: ${state}.`);
  if (checkpoints.length > 0) {
    out.line(
      textTable(
        ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'batches', 'updated'],
        checkpoints.map((c) => [
          c.entity,
          c.status,
          formatCount(c.rowsRead),
          formatCount(c.rowsWritten),
          formatCount(c.rowsRejected),
          formatCount(c.rowsFiltered),
          c.sequence,
          c.updatedAt,
        ]),
        new Set([2, 3, 4, 5, 6]),
      ),
    );
  }
  return ExitCode.ok;
};
