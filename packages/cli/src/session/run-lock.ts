// One process per run: a PostgreSQL session-level advisory lock keyed by the run id, held on its own
// connection for the whole run. A second `ferry run` of the same run id stops at once instead of
// interleaving checkpoints with the first; the lock dies with the connection if the process does.

import { FerryError } from '@ferry/core';
import type pg from 'pg';

/** A held lock. */
export interface RunLock {
  release(): Promise<void>;
}

/** Takes the run's lock or throws `FERRY_RUN_LOCKED`. */
export async function runLock(pool: pg.Pool, runId: string): Promise<RunLock> {
  const client = await pool.connect();
  try {
    const result = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('ferry-run'), hashtext($1)) AS ok`,
      [runId],
    );
    if (result.rows[0]?.ok !== true) {
      throw new FerryError(`run "${runId}" is already running in another process`, {
        code: 'FERRY_RUN_LOCKED',
        reason: 'invalid-config',
        operation: 'run.lock',
      });
    }
  } catch (error) {
    client.release();
    throw error;
  }
  return {
    release: async () => {
      try {
        await client.query(`SELECT pg_advisory_unlock(hashtext('ferry-run'), hashtext($1))`, [runId]);
      } finally {
        client.release();
      }
    },
  };
}
