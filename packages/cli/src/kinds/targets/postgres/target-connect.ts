// Opens the PostgreSQL target of a config as a `pg` pool and proves it reachable. The pool is the
// caller's to end; adapters only borrow it.

import pg from 'pg';
import { resolveEnv } from '../../../config/env-resolve.js';
import { unreachable } from '../../../connect/unreachable.js';
import type { PostgresTargetConfig } from './postgres-config.js';

type PostgresTarget = Pick<PostgresTargetConfig, 'connection'>;

/** A label for messages, naming the environment variable (never its value). */
export function targetLabel(target: PostgresTarget): string {
  return `target database (postgres, env ${target.connection.env})`;
}

/** Opens and probes a pool; an unreachable database gives `FERRY_UNREACHABLE`. */
export async function connectTarget(
  target: PostgresTarget,
  env: NodeJS.ProcessEnv = process.env,
  max = 4,
): Promise<pg.Pool> {
  const url = resolveEnv(target.connection, 'target.connection', env);
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 15_000 });
  // An idle client that dies (server restart) must not crash the process with an unhandled 'error'.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unreachable(targetLabel(target), error);
  }
}
