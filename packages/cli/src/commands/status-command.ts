// `ferry status`: the checkpoints of a run (per entity: state, counters, last save; a partitioned
// entity as one line with its key ranges under it), read from the run's checkpoint store only.

import type { Checkpoint } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';
import { groupPartitions, withPartitionRows } from '../report/partition-groups.js';

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
  const lines = groupPartitions(checkpoints, (_entity, parts) => ({
    ...parts[0]!,
    position: null,
    sequence: parts.reduce((n, c) => n + c.sequence, 0),
    updatedAt: parts
      .map((c) => c.updatedAt)
      .sort()
      .at(-1)!,
  }));
  const { out } = context;
  const state =
    lines.length === 0
      ? 'not started'
      : lines.every((c) => c.status === 'completed')
        ? 'completed'
        : 'in progress';
  out.json({ command: 'status', runId, state, checkpoints, entities: lines });
  out.line(`Run ${runId}: ${state}.`);
  if (checkpoints.length > 0) {
    out.line(
      textTable(
        ['entity', 'status', 'read', 'written', 'rejected', 'filtered', 'batches', 'updated'],
        withPartitionRows(lines, (c, depth) => [
          depth === 0 ? c.entity : `  ${c.entity}`,
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
