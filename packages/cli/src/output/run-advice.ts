// What `ferry run` tells the user to do after a failure: the commands carry `--run <id>` when the run
// is not the config's own, and a run that failed because every row of an entity was rejected
// (FERRY_REJECT_ALL: those rows are read and checkpointed) is started over with a reset, not resumed.

/** What the advice needs of a run's result. */
export interface FailedRun {
  readonly entities: readonly { readonly error?: { readonly code: string; readonly reason?: string } }[];
}

/** ` --run <id>` when `runId` is not the config's run id, else empty. */
export function runFlag(runId: string, configRunId: string): string {
  return runId === configRunId ? '' : ` --run ${runId}`;
}

/** The hint after duplicate keys in copy mode. */
export function duplicateKeyHint(runId: string, configRunId: string): string {
  return `The target already holds rows with these keys (an earlier run or load): \`ferry reset --truncate --yes${runFlag(runId, configRunId)}\` empties the mapped target tables and forgets the checkpoints, to start over.`;
}

/** The last line of a failed run: resume it, or (every row of an entity rejected) reset it first. */
export function failedLine(result: FailedRun, runId: string, configRunId: string): string {
  const flag = runFlag(runId, configRunId);
  if (result.entities.some((e) => e.error?.code === 'FERRY_REJECT_ALL'))
    return `Failed. Fix the mapping, then \`ferry reset --yes${flag}\` and \`ferry run${flag}\` read the rejected rows again (a resume would skip them).`;
  if (result.entities.some((e) => e.error?.reason === 'unique-violation'))
    return `Failed. If these rows are not this run's, start over as above; otherwise fix the cause, then \`ferry run${flag}\` resumes run ${runId}.`;
  return `Failed. Fix the cause, then \`ferry run${flag}\` resumes run ${runId}.`;
}
