// A pooled client held longer than one query (a run lock, a sink's transaction, a schema creation, a
// verification cursor). pg-pool listens for 'error' only on idle clients: a checked-out client whose
// backend dies (server restart, `pg_terminate_backend`) emits 'error', and with no listener Node ends
// the process. Every such loan goes through here, so the error is recorded and the client destroyed.

import type { PgPool, PgPoolClient } from './pg-driver.js';

/** A client checked out of a pool with an 'error' listener for the whole loan. */
export interface HeldClient {
  readonly client: PgPoolClient;
  /** The error the connection reported while held (its backend is gone), if any. */
  readonly error: Error | undefined;
  /**
   * Gives the client back to the pool, or destroys it when it failed or an `error` is passed.
   * Safe to call more than once.
   */
  release(error?: Error): void;
}

/**
 * Holds `client` (just checked out of its pool): its 'error' events are recorded and passed to
 * `onError` instead of crashing the process.
 *
 * @example
 * ```ts
 * const held = holdClient(await pool.connect());
 * try { await held.client.query('BEGIN'); ... } finally { held.release(failure); }
 * ```
 */
export function holdClient(client: PgPoolClient, onError?: (error: Error) => void): HeldClient {
  let error: Error | undefined;
  let released = false;
  const listener = (failure: Error): void => {
    error ??= failure;
    onError?.(failure);
  };
  client.on('error', listener);
  return {
    client,
    get error() {
      return error;
    },
    release(failure?: Error) {
      if (released) return;
      released = true;
      const broken = failure ?? error;
      // A broken client keeps the listener: it may still report its end while being destroyed.
      if (broken === undefined) client.removeListener('error', listener);
      client.release(broken);
    },
  };
}

/** Checks a client out of `pool` and holds it (see {@link holdClient}). */
export async function connectHeld(pool: PgPool, onError?: (error: Error) => void): Promise<HeldClient> {
  return holdClient(await pool.connect(), onError);
}
