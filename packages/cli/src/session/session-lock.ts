// The run lock of a session, taken the same way by every command that changes a run (`run`, `reset`)
// and probed by `status`: an advisory lock in a target that is a PostgreSQL database (its kind has
// `pool`), else a `<runId>.lock` file in the state folder.

import { isFerryError } from '@ferry/core';
import type { CliSession } from './cli-session.js';
import { fileRunLock } from './file-run-lock.js';
import { runLock } from './run-lock.js';
import type { RunLock } from './run-lock.js';
import { stateDir } from './state-dir.js';

/** Takes the run's lock or throws `FERRY_RUN_LOCKED` (exit code 6). */
export async function sessionRunLock(session: CliSession, runId: string): Promise<RunLock> {
  return session.targetKind.pool !== undefined
    ? runLock(await session.target(), runId)
    : fileRunLock(stateDir(session), runId);
}

/** Whether another process holds the run's lock now (a `ferry run` of it is under way). */
export async function runIsLive(session: CliSession, runId: string): Promise<boolean> {
  try {
    await (await sessionRunLock(session, runId)).release();
    return false;
  } catch (error) {
    if (isFerryError(error) && error.code === 'FERRY_RUN_LOCKED') return true;
    throw error;
  }
}
