// One process per run: a PostgreSQL session-level advisory lock keyed by the run id, held on its own
// connection for the whole run. A second `ferry run` (or `reset`) of the same run id stops at once
// instead of interleaving with the first; the lock dies with the connection if the process does.

import { FerryError } from '@ferry/core';
import { connectHeld } from '@ferry/adapters/postgres';
import type pg from 'pg';

/** A held lock. */
export interface RunLock {
  release(): Promise<void>;
}

/** The error of a run id held by another process (exit code 6, see exit-codes.ts). */
export function runLocked(runId: string, owner = ''): FerryError {
  return new FerryError(`run "${runId}" is already running in another process${owner}`, {
    code: 'FERRY_RUN_LOCKED',
    reason: 'invalid-config',
    operation: 'run.lock',
  });
}

/** Takes the run's lock or throws `FERRY_RUN_LOCKED`. */
export async function runLock(pool: pg.Pool, runId: string): Promise<RunLock> {
  // Held for the whole run: a target restart ends this connection, which must not end the process.
  const held = await connectHeld(pool);
  try {
    const result = await held.client.query(
      `SELECT pg_try_advisory_lock(hashtext('ferry-run'), hashtext($1)) AS ok`,
      [runId],
    );
    if (result.rows[0]?.ok !== true) throw runLocked(runId);
  } catch (error) {
    held.release();
    throw error;
  }
  return {
    release: async () => {
      // A connection that died took its session lock with it: nothing to unlock.
      if (held.error !== undefined) return held.release();
      try {
        await held.client.query(`SELECT pg_advisory_unlock(hashtext('ferry-run'), hashtext($1))`, [runId]);
        held.release();
      } catch (error) {
        held.release(error instanceof Error ? error : new Error('unlock failed'));
      }
    },
  };
}
