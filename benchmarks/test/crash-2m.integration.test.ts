// Crash test at volume (issue 10): one O11 entity of 2,000,000 rows, MariaDB → PostgreSQL in copy
// mode, the Ferry process SIGKILLed 20 times at seeded moments spread over the run and resumed with the
// same run id. The target must then hold exactly the source: count, sum of ids and an MD5 over every
// row rendered canonically in SQL on each side (independent of Ferry's mapping code), with the
// checkpoint saying every row was written once.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectionsFromEnv, withDatabase } from '../src/bench-config.js';
import { ferryColumns } from '../src/cases/ferry-cases.js';
import { compareDigests, sourceDigest, targetDigest } from '../src/load-verify.js';
import { ensureSource } from '../src/source-setup.js';
import { seededRandom } from '@ferry/adapters/http/testing';

const ROWS = 2_000_000;
const KILLS = 20;
const SOURCE_DB = 'ferry_crash_2m';
const SCHEMA = 'crash_2m';
const TABLE = 'orderrow';
const RUN_ID = 'crash-2m';
const CHILD = fileURLToPath(new URL('../src/cases/ferry-load.ts', import.meta.url));
const connections = connectionsFromEnv();
const targetDb = `ferry_crash_2m_${process.pid}`;
let admin: pg.Client;
let target: pg.Client;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Child {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
  readonly running: () => boolean;
  kill(): void;
}

/** Ferry's benchmark load (discovery → mapping → o11MigrationPlan → run) in its own process. */
function startChild(): Child {
  const args = { schema: SCHEMA, table: TABLE, batchSize: 2000, commitEvery: 20_000, runId: RUN_ID };
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', CHILD, JSON.stringify(args)],
    {
      env: {
        ...process.env,
        FERRY_BENCH_SOURCE_URL: withDatabase(connections.mariadbServer, SOURCE_DB),
        FERRY_BENCH_TARGET_URL: withDatabase(connections.pgServer, targetDb),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let done = false;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return { exited, output: () => output, running: () => !done, kill: () => child.kill('SIGKILL') };
}

/** Rows the saved checkpoints call durable (0 before the first commit). */
async function durableRows(): Promise<number> {
  const result = await target
    .query<{ rows: string }>(
      'SELECT coalesce(sum(rows_written), 0)::text AS rows FROM ferry.checkpoints WHERE run_id = $1',
      [RUN_ID],
    )
    .catch(() => ({ rows: [{ rows: '0' }] }));
  return Number(result.rows[0]!.rows);
}

beforeAll(async () => {
  await ensureSource(connections.mariadbServer, SOURCE_DB, ROWS);
  admin = new pg.Client({ connectionString: withDatabase(connections.pgServer, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${targetDb}`);
  await admin.query(`CREATE DATABASE ${targetDb}`);
  target = new pg.Client({ connectionString: withDatabase(connections.pgServer, targetDb) });
  await target.connect();
  await target.query(`CREATE SCHEMA ${SCHEMA}`);
}, 600_000);

afterAll(async () => {
  await target?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${targetDb} WITH (FORCE)`);
  await admin?.end();
});

test(`a 2M-row entity killed ${KILLS} times ends equal to its source, every row once`, async () => {
  const random = seededRandom(2_000_000);
  let last = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    // Spread over the run and short of its end, so every kill lands while rows are still moving.
    const goal = Math.floor((ROWS * (kill + 0.5 + 0.5 * random())) / (KILLS + 2));
    const child = startChild();
    while (child.running() && (await durableRows()) < Math.max(last + 1, goal)) await sleep(25);
    await sleep(Math.floor(random() * 150));
    expect(child.running(), `run finished before kill ${kill + 1}: ${child.output().slice(-800)}`).toBe(true);
    child.kill();
    expect((await child.exited).signal).toBe('SIGKILL');
    const now = await durableRows();
    expect(now).toBeGreaterThan(last);
    expect(now).toBeLessThan(ROWS);
    last = now;
  }

  const final = startChild();
  const exit = await final.exited;
  expect(exit.code, final.output().slice(-800)).toBe(0);

  const checkpoint = await target.query<{ status: string; written: string; read: string }>(
    `SELECT status, rows_written::text AS written, rows_read::text AS read
       FROM ferry.checkpoints WHERE run_id = $1`,
    [RUN_ID],
  );
  expect(checkpoint.rows).toEqual([{ status: 'completed', written: String(ROWS), read: String(ROWS) }]);

  // Every row, rendered canonically in SQL on each side (step 1: no sampling).
  const source = await mysql.createConnection({
    uri: withDatabase(connections.mariadbServer, SOURCE_DB),
    charset: 'utf8mb4',
  });
  try {
    const verification = compareDigests(
      await sourceDigest(source, 1, new Set()),
      await targetDigest(target, { schema: SCHEMA, table: TABLE, columns: ferryColumns }, 1),
    );
    expect(verification).toEqual({ ok: true, sourceRows: ROWS, targetRows: ROWS, mismatches: [] });
  } finally {
    await source.end();
  }
}, 1_200_000);
