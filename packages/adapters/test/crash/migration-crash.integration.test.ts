// Crash test: a child process migrating the sample O11 database (about 220k rows in 4 large entities)
// from MariaDB into PostgreSQL is SIGKILLed at 10 seeded random moments, each after the checkpoints
// advanced since the previous kill, and resumed with the same run id. At the end every target table
// hold exactly the rows the fixture generators produced, converted in the test independently of the
// mapping code and compared row by row by key (and verifyMigration agree), with no duplicate key:
// in copy mode with rows and checkpoint in one transaction, and in upsert mode with a file store; each
// whole, and with `partitions: 4` (every entity read and written as four key ranges, resumed per range).

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileCheckpointStore } from '@ferry/core';
import type { O11Catalog } from '@ferry/mapping';
import { createSampleO11Database, discoverO11Catalog } from '@ferry/adapters/o11';
import { verifyMigration } from '@ferry/adapters/migration';
import {
  openTarget,
  sampleMapping,
  sampleOdcUser,
  sampleUserMap,
  type TestTarget,
} from '../fixtures/migration-setup.js';
import { checkSampleTarget, sampleEntityEqual } from '../fixtures/sample-target-check.js';
import { mariadbDatabase, type TestDatabase } from '../fixtures/test-databases.js';
import { seededRandom } from '@ferry/adapters/http/testing';

const CHILD = fileURLToPath(new URL('./migration-crash-child.ts', import.meta.url));
const ROWS_PER_ENTITY = 40_000;
const SEED = 5;
const KILLS = 10;
const RUN_ID = 'crash-run';
/** The child's batch size (see migration-crash-child.ts). */
const BATCH_SIZE = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Child {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
  kill(): void;
  running(): boolean;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return { exited, output: () => output, kill: () => child.kill('SIGKILL'), running: () => !done };
}

let source: TestDatabase;
let database: string;
let catalog: O11Catalog;
let totalRows = 0;
/** Batches of a complete run: the sum of every entity's final checkpoint sequence. */
let totalBatches = 0;

beforeAll(async () => {
  source = await mariadbDatabase();
  const sample = await createSampleO11Database(source.knex, { rowsPerEntity: ROWS_PER_ENTITY, seed: SEED });
  totalRows = sample.totalRows;
  const mapped = sampleMapping(await discoverO11Catalog(source.knex)).entities.map((e) => e.name);
  for (const entity of sample.entities)
    if (mapped.includes(entity.qualifiedName)) totalBatches += Math.ceil(entity.rows / BATCH_SIZE);
  const rows = (await source.knex.raw('SELECT DATABASE() AS db')) as [{ db: string }[]];
  database = rows[0][0]!.db;
  catalog = await discoverO11Catalog(source.knex);
}, 90_000);
afterAll(async () => source?.drop());

const cases = [
  ['copy', 1],
  ['upsert', 1],
  ['copy', 4],
  ['upsert', 4],
] as const;

describe.each(cases)('SIGKILL and resume, %s mode, partitions %i', (mode, partitions) => {
  let target: TestTarget;
  let dir: string;
  beforeAll(async () => {
    target = await openTarget(4);
    dir = await mkdtemp(join(tmpdir(), 'ferry-crash-'));
  });
  afterAll(async () => {
    await target?.drop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Every entity's checkpoint sequence and status as saved now. */
  async function saved(): Promise<{ entity: string; sequence: number; status: string }[]> {
    if (mode === 'upsert') return [...(await new FileCheckpointStore(dir).list(RUN_ID).catch(() => []))];
    const sql = `SELECT entity, sequence::int AS sequence, status FROM ${target.ferrySchema}.checkpoints WHERE run_id = $1`;
    const result = await target.pool.query(sql, [RUN_ID]).catch(() => ({ rows: [] }));
    return result.rows as { entity: string; sequence: number; status: string }[];
  }

  /** The sum of every entity's checkpoint sequence: it grows with each durable batch. */
  const progress = async (): Promise<number> => (await saved()).reduce((sum, c) => sum + c.sequence, 0);

  test(
    `killed ${KILLS} times, every table ends equal to its source, no duplicates`,
    async () => {
      expect(totalRows).toBeGreaterThanOrEqual(200_000);
      const env = {
        FERRY_CRASH_MODE: mode,
        FERRY_CRASH_MARIADB_DB: database,
        FERRY_CRASH_TARGET_SCHEMA: target.schema,
        FERRY_CRASH_FERRY_SCHEMA: target.ferrySchema,
        FERRY_CRASH_CHECKPOINT_DIR: dir,
        FERRY_CRASH_RUN_ID: RUN_ID,
        FERRY_CRASH_PARTITIONS: String(partitions),
      };
      const random = seededRandom((mode === 'copy' ? 101 : 202) + partitions);
      let last = await progress();
      const moments: number[] = [];
      const interrupted = new Set<string>();
      for (let kill = 0; kill < KILLS; kill++) {
        // Spread the kills over the run (so they land in different entities), jittered, and stop short
        // of its end: the saved sequences of a complete run sum to about 85% of `totalBatches` without
        // partitions (measured: 94 of 112), and progress moves a transaction (2 batches, per running
        // pipeline) at a time, so a goal near the estimate would be reached only once every row is
        // durable and the kill would test nothing.
        const goal = Math.floor((totalBatches * (kill + 0.7 + 0.6 * random())) / (KILLS + 3));
        const threshold = Math.max(last + 1, goal);
        const child = startChild(env);
        while (child.running() && (await progress()) < threshold) await sleep(20);
        await sleep(Math.floor(random() * 100));
        expect(child.running(), `run finished before kill ${kill + 1}: ${child.output()}`).toBe(true);
        child.kill();
        expect((await child.exited).signal).toBe('SIGKILL');
        const now = await progress();
        expect(now).toBeGreaterThan(last);
        moments.push(now);
        for (const c of await saved()) if (c.status === 'running') interrupted.add(c.entity);
        last = now;
      }
      const final = startChild(env);
      const end = await final.exited;
      expect(end.code, final.output()).toBe(0);
      expect(final.output()).toContain('done completed');
      expect(moments).toHaveLength(KILLS);
      // The kills landed inside at least three different entities' loads.
      expect(interrupted.size, [...interrupted].join(', ')).toBeGreaterThanOrEqual(3);
      // The run was partitioned as asked: every range of some entity completed with its own checkpoint.
      const ranges = (await saved()).filter((c) => /\[\d+\/\d+\]$/.test(c.entity));
      if (partitions > 1) {
        expect(ranges.length).toBeGreaterThanOrEqual(partitions);
        expect(ranges.some((c) => c.entity.endsWith(`[${partitions}/${partitions}]`))).toBe(true);
        expect(ranges.every((c) => c.status === 'completed')).toBe(true);
      } else expect(ranges).toEqual([]);

      const spec = sampleMapping(catalog);
      // Independent of the mapping code: the generators' rows, converted in the test, row by row.
      const checks = await checkSampleTarget({
        pool: target.pool,
        schema: target.schema,
        catalog,
        mapping: spec,
        seed: SEED,
        rowsPerEntity: ROWS_PER_ENTITY,
        user: sampleOdcUser,
      });
      expect(checks).toEqual(checks.map(sampleEntityEqual));
      expect(checks.reduce((sum, c) => sum + c.expected, 0)).toBeGreaterThanOrEqual(200_000);
      const report = await verifyMigration({
        source: { knex: source.knex },
        catalog,
        mapping: spec,
        target: { pool: target.pool, schema: target.schema },
        userMap: await sampleUserMap(source.knex),
        batchSize: 5000,
        listKeys: 5,
      });
      expect(report.entities.filter((e) => !e.ok)).toEqual([]);
      expect(report.ok).toBe(true);
      const migrated = report.entities.reduce((sum, e) => sum + e.target.rows, 0);
      expect(migrated).toBeGreaterThanOrEqual(200_000);
      for (const entity of report.entities) {
        const keys = spec.entities.find((e) => e.name === entity.entity)!.key;
        const columns = keys.map((k) => `"${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}"`);
        const [schema, table] = entity.table.split('.');
        const counted = await target.pool.query(
          `SELECT count(*)::int AS n, count(DISTINCT (${columns.join(', ')}))::int AS d FROM "${schema}"."${table}"`,
        );
        expect(counted.rows[0], entity.entity).toEqual({ n: entity.source.rows, d: entity.source.rows });
      }
    },
    // Generous: the machine running the suite is shared and loaded.
    partitions > 1 ? 900_000 : 300_000,
  );
});
