// The run lock across a lost connection (issue 14, case 1 follow-up): its session's advisory lock dies
// with the backend, so the lock is taken again on a new connection; if another session took it in
// between, `lost` aborts with FERRY_RUN_LOCK_LOST. The backend is ended with pg_terminate_backend on the
// machine's PostgreSQL (what a target restart does to every session), never by restarting the server.
// Also: the processes of a distributed run share the lock (named in pg_stat_activity) and exclude a
// local run, and a local run excludes them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runLock } from '../src/session/run-lock.js';
import { PG_URL, suffix } from './cli-harness.js';

let pool: pg.Pool;
let other: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: PG_URL, max: 3 });
  pool.on('error', () => undefined); // idle clients ended by pg_terminate_backend
  other = new pg.Pool({ connectionString: PG_URL, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await other.end();
});

// The two int4 keys of the lock are the classid and objid of its pg_locks row, as unsigned oids.
const HOLDERS = `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid::bigint = (hashtext('ferry-run')::bigint + 4294967296) % 4294967296
  AND objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296 AND objsubid = 2`;

async function holders(runId: string): Promise<number[]> {
  return (await other.query<{ pid: number }>(HOLDERS, [runId])).rows.map((r) => r.pid);
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('run lock', () => {
  it('is taken again on a new session when its session ends, and still refuses a second taker', async () => {
    const runId = `lock-${suffix()}`;
    const lock = await runLock(pool, runId);
    const [first] = await holders(runId);
    expect(first).toBeGreaterThan(0);
    await other.query('SELECT pg_terminate_backend($1, 5000)', [first]);
    const again = await until(
      async () => (await holders(runId)).find((pid) => pid !== first),
      'the lock again',
    );
    expect(again).not.toBe(first);
    await expect(runLock(pool, runId)).rejects.toMatchObject({ code: 'FERRY_RUN_LOCKED' });
    expect(lock.lost?.aborted).toBe(false);
    await lock.release();
    expect(await holders(runId)).toEqual([]);
    await (await runLock(pool, runId)).release();
  });

  it('aborts `lost` with FERRY_RUN_LOCK_LOST when another session took the lock first', async () => {
    const runId = `lock-${suffix()}`;
    // The real pool, with new connections held back while the test hands the lock to another session
    // (a reconnect can otherwise win the race against the thief by a few milliseconds).
    let open: () => void = () => undefined;
    let gate = Promise.resolve();
    const gated = { connect: async () => gate.then(() => pool.connect()) } as unknown as pg.Pool;
    const lock = await runLock(gated, runId);
    const [first] = await holders(runId);
    gate = new Promise((resolve) => (open = resolve));
    const thief = await other.connect();
    try {
      await thief.query('SELECT pg_terminate_backend($1, 5000)', [first]);
      const taken = await thief.query<{ ok: boolean; pid: number }>(
        `SELECT pg_try_advisory_lock(hashtext('ferry-run'), hashtext($1)) AS ok, pg_backend_pid() AS pid`,
        [runId],
      );
      expect(taken.rows[0]?.ok).toBe(true);
      open();
      await until(async () => (lock.lost?.aborted === true ? true : undefined), 'lost');
      expect(lock.lost?.reason).toMatchObject({ code: 'FERRY_RUN_LOCK_LOST' });
      await lock.release();
      expect(await holders(runId)).toEqual([taken.rows[0]?.pid]);
    } finally {
      open();
      thief.release(true);
    }
  });

  it('shared by the processes of a distributed run, which exclude a local run and are excluded by one', async () => {
    const runId = `lock-${suffix()}`;
    const name = `ferry worker test:${process.pid}`;
    const [a, b] = [
      await runLock(pool, runId, { shared: true, applicationName: name }),
      await runLock(pool, runId, { shared: true }),
    ];
    expect(await holders(runId)).toHaveLength(2);
    const named = await other.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
      [name],
    );
    expect(named.rows[0]?.n).toBe(1);
    await expect(runLock(pool, runId)).rejects.toMatchObject({ code: 'FERRY_RUN_LOCKED' });
    await a.release();
    await b.release();
    expect(await holders(runId)).toEqual([]);
    // The connection went back to the pool without the worker's name.
    expect(
      (
        await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [
          name,
        ])
      ).rows[0],
    ).toEqual({ n: 0 });
    const local = await runLock(pool, runId);
    await expect(runLock(pool, runId, { shared: true })).rejects.toMatchObject({ code: 'FERRY_RUN_LOCKED' });
    await local.release();
  });
});
