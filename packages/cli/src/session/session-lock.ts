// The run lock of a session, taken the same way by every command that changes a run (`run`, `reset`,
// `worker`) and probed by `status`: an advisory lock in a target that is a PostgreSQL database (its
// kind has `pool`), else a `<runId>.lock` file in the state folder. The processes of a distributed run
// share it (they need the PostgreSQL state anyway); a local run and a reset hold it alone.

import { setTimeout as delay } from 'node:timers/promises';
import { isFerryError } from '@ferry/core';
import type { CliSession } from './cli-session.js';
import { fileRunLock } from './file-run-lock.js';
import { runLock } from './run-lock.js';
import type { RunLock, RunLockOptions } from './run-lock.js';
import { stateDir } from './state-dir.js';

/** Takes the run's lock or throws `FERRY_RUN_LOCKED` (exit code 6). */
export async function sessionRunLock(
  session: CliSession,
  runId: string,
  options: RunLockOptions = {},
): Promise<RunLock> {
  if (session.targetKind.pool === undefined) return fileRunLock(stateDir(session), runId);
  const pool = await session.target();
  // `status` probes the lock by taking it alone for a moment: a shared taker tries again meanwhile.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runLock(pool, runId, options);
    } catch (error) {
      if (options.shared !== true || attempt >= SHARED_ATTEMPTS || !isLocked(error)) throw error;
      await delay(300);
    }
  }
}

const SHARED_ATTEMPTS = 10;

function isLocked(error: unknown): boolean {
  return isFerryError(error) && error.code === 'FERRY_RUN_LOCKED';
}

/** Whether another process holds the run's lock now (a `ferry run` of it is under way). */
export async function runIsLive(session: CliSession, runId: string): Promise<boolean> {
  try {
    await (await sessionRunLock(session, runId)).release();
    return false;
  } catch (error) {
    if (isLocked(error)) return true;
    throw error;
  }
}
