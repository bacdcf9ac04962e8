// `ferry reset`: forgets a run's checkpoints so the next `run` starts from the beginning. It does not
// delete target rows: a copy-mode re-run into a filled target would then hit duplicate keys, so the
// command says so, and asks for --yes because it cannot be undone.

import { FerryError } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';

/** Options of `ferry reset`. */
export interface ResetOptions {
  readonly run?: string;
  readonly yes?: boolean;
}

/** Deletes the run's checkpoints. */
export const resetCommand: CommandHandler<ResetOptions> = async (context, options) => {
  const session = await context.session();
  const runId = options.run ?? session.runId;
  if (options.yes !== true) {
    throw new FerryError(`reset forgets every checkpoint of run "${runId}": pass --yes to confirm`, {
      code: 'FERRY_RESET_UNCONFIRMED',
      reason: 'invalid-config',
      operation: 'reset',
    });
  }
  const store = await session.checkpoints();
  const before = await store.list(runId);
  await store.delete(runId);
  const { out } = context;
  out.json({ command: 'reset', runId, forgotten: before.map((c) => c.entity) });
  out.line(`Forgot ${before.length} checkpoint(s) of run ${runId}.`);
  if (before.length > 0)
    out.note('Target rows were not deleted: empty the target tables before running again in copy mode.');
  return ExitCode.ok;
};
