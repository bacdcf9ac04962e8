// One process per run: a PostgreSQL session-level advisory lock keyed by the run id, held on its own
// connection for the whole run. A second `ferry run` (or `reset`) of the same run id stops at once
// instead of interleaving with the first; the lock dies with the connection if the process does.
// A target restart ends that session while the run goes on retrying: the lock is taken again as soon
// as the target accepts connections, and if another process took it first, `lost` aborts the run.
// A distributed run's processes (its coordinator and every `ferry worker`) share the lock instead
// (`pg_try_advisory_lock_shared`): they never refuse each other, while a local `run` or a `reset`,
// which take it exclusively, are refused as long as one of them holds it (and refuse them in turn).

import { setTimeout as delay } from 'node:timers/promises';
import { FerryError } from '@ferry/core';
import { connectHeld } from '@ferry/adapters/postgres';
import type { HeldClient } from '@ferry/adapters/postgres';
import type { PgPool } from '@ferry/adapters/postgres';

/** How often a lock whose connection died is tried again while the target does not answer (ms). */
const RETAKE_EVERY_MS = 100;

/** A held lock. */
export interface RunLock {
  /**
   * Aborted, with a `FERRY_RUN_LOCK_LOST` error as its reason, when the lock's connection died and
   * another process took the lock before this one could take it again. Absent for locks that cannot
   * be lost (the state folder's lock file).
   */
  readonly lost?: AbortSignal;
  /** Gives the lock up; also stops taking it again. Safe to call once. */
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

function runLockLost(runId: string): FerryError {
  return new FerryError(
    `the lock of run "${runId}" was lost when the target's connection ended, and another process holds it now: this process stopped; let the other one finish, or stop it and run again`,
    { code: 'FERRY_RUN_LOCK_LOST', reason: 'invalid-config', operation: 'run.lock' },
  );
}

/** How a process holds the run's lock. */
export interface RunLockOptions {
  /** Shared with the other processes of a distributed run (workers, coordinator). Default exclusive. */
  readonly shared?: boolean;
  /** The lock connection's `application_name` (how `status` names the workers); max 63 bytes. */
  readonly applicationName?: string;
}

/** Locks on a new connection: the held client, or `undefined` when another session holds the lock. */
async function take(
  pool: PgPool,
  runId: string,
  onError: () => void,
  options: RunLockOptions,
): Promise<HeldClient | undefined> {
  const held = await connectHeld(pool, onError);
  try {
    if (options.applicationName !== undefined)
      await held.client.query(`SELECT set_config('application_name', $1, false)`, [options.applicationName]);
    const result = await held.client.query(
      `SELECT pg_try_advisory_lock${options.shared === true ? '_shared' : ''}(hashtext('ferry-run'), hashtext($1)) AS ok`,
      [runId],
    );
    if (result.rows[0]?.ok === true) return held;
    if (options.applicationName !== undefined) await held.client.query(`RESET application_name`);
    held.release();
    return undefined;
  } catch (error) {
    held.release(error instanceof Error ? error : new Error('lock failed'));
    throw error;
  }
}

async function unlock(held: HeldClient, runId: string, options: RunLockOptions): Promise<void> {
  // A connection that died took its session lock with it: nothing to unlock.
  if (held.error !== undefined) return held.release();
  try {
    await held.client.query(
      `SELECT pg_advisory_unlock${options.shared === true ? '_shared' : ''}(hashtext('ferry-run'), hashtext($1))`,
      [runId],
    );
    // The connection goes back to the pool: it no longer speaks for a worker.
    if (options.applicationName !== undefined) await held.client.query(`RESET application_name`);
    held.release();
  } catch (error) {
    held.release(error instanceof Error ? error : new Error('unlock failed'));
  }
}

/** Takes the run's lock or throws `FERRY_RUN_LOCKED`; keeps it across target restarts (see `lost`). */
export async function runLock(pool: PgPool, runId: string, options: RunLockOptions = {}): Promise<RunLock> {
  const lost = new AbortController();
  let released = false;
  let retaking: Promise<void> | undefined;
  // Held for the whole run: a target restart ends this connection, which must not end the process.
  // Only the connection holding the lock now starts a retake (a destroyed one may still report).
  let current = 0;
  let loans = 0;
  const loan = (): { id: number; onError: () => void } => {
    const id = ++loans;
    const onError = (): void => {
      if (id === current) retaking ??= retake();
    };
    return { id, onError };
  };
  const first = loan();
  let held = await take(pool, runId, first.onError, options);
  if (held === undefined) throw runLocked(runId);
  current = first.id;

  async function retake(): Promise<void> {
    held!.release();
    while (!released) {
      const next = loan();
      const again = await take(pool, runId, next.onError, options).catch(() => null);
      if (again === null) {
        await delay(RETAKE_EVERY_MS); // the target does not answer yet
        continue;
      }
      if (again === undefined) lost.abort(runLockLost(runId));
      else if (released) await unlock(again, runId, options);
      else [held, current] = [again, next.id];
      break;
    }
    retaking = undefined;
  }

  return {
    lost: lost.signal,
    release: async () => {
      released = true;
      await retaking;
      if (!lost.signal.aborted) await unlock(held!, runId, options);
    },
  };
}
