// One worker per pipeline at a time, whatever the queue does: a session advisory lock keyed by run and
// pipeline, held on its own connection while the pipeline runs. A job delivered twice (its expiry
// passed while the first worker was cut off but alive) waits here until the first worker's session
// ends, then resumes from the checkpoint the first one committed. A killed worker's session ends with
// its process, and the lock with it.

import { setTimeout as delay } from 'node:timers/promises';
import { FerryError } from '@ferry/core';
import { connectHeld } from '../postgres/pg-held-client.js';
import type { PgPool } from '../postgres/pg-driver.js';

/** A held pipeline lock. */
export interface PipelineLock {
  /** Unlocks and gives the connection back. Safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Takes the lock of `pipeline` in `runId`, trying every `everyMs` while another session holds it;
 * throws `FERRY_ABORTED` when `signal` aborts first.
 */
export async function pipelineLock(
  pool: PgPool,
  runId: string,
  pipeline: string,
  signal: AbortSignal,
  everyMs = 500,
): Promise<PipelineLock> {
  const held = await connectHeld(pool);
  const key = JSON.stringify([runId, pipeline]);
  try {
    for (;;) {
      const result = await held.client.query(
        `SELECT pg_try_advisory_lock(hashtext('ferry-pipeline'), hashtext($1)) AS ok`,
        [key],
      );
      if (result.rows[0]?.ok === true) break;
      if (signal.aborted) throw stopped(pipeline);
      await delay(everyMs);
    }
  } catch (error) {
    held.release(error instanceof Error ? error : undefined);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      if (held.error !== undefined) return held.release();
      try {
        await held.client.query(`SELECT pg_advisory_unlock(hashtext('ferry-pipeline'), hashtext($1))`, [key]);
        held.release();
      } catch (error) {
        held.release(error instanceof Error ? error : new Error('unlock failed'));
      }
    },
  };
}

function stopped(pipeline: string): FerryError {
  return new FerryError(`${pipeline}: stopped while waiting for another worker to let go of it`, {
    code: 'FERRY_ABORTED',
    reason: 'aborted',
    entity: pipeline,
    operation: 'distributed.lock',
  });
}
