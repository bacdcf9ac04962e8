// The process the crash test kills: one migration run of the sample O11 database from MariaDB into
// PostgreSQL through o11MigrationPlan and core's run, configured by environment variables. Run again
// with the same run id, it resumes from the checkpoints (per key range with FERRY_CRASH_PARTITIONS). Prints `done <status>` and exits 0 on success.

import knexFactory from 'knex';
import pg from 'pg';
import { FileCheckpointStore, run } from '@ferry/core';
import type { CheckpointStore } from '@ferry/core';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan } from '@ferry/adapters/migration';
import { sampleMapping, sampleUserMap } from '../fixtures/migration-setup.js';
import { MARIADB_URL, PG_URL } from '../fixtures/test-databases.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

const mode = env('FERRY_CRASH_MODE') === 'upsert' ? 'upsert' : 'copy';
const partitions = Number(process.env.FERRY_CRASH_PARTITIONS ?? '1');
const runId = env('FERRY_CRASH_RUN_ID');
const url = new URL(MARIADB_URL);
const knex = knexFactory({
  client: 'mysql2',
  connection: {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: env('FERRY_CRASH_MARIADB_DB'),
  },
  pool: { min: 0, max: 4 },
});
const pool = new pg.Pool({ connectionString: PG_URL, max: 6 });

try {
  const catalog = await discoverO11Catalog(knex);
  const checkpoints: CheckpointStore =
    mode === 'copy'
      ? new PostgresCheckpointStore({ pool, schema: env('FERRY_CRASH_FERRY_SCHEMA') })
      : new FileCheckpointStore(env('FERRY_CRASH_CHECKPOINT_DIR'));
  const { plan } = await o11MigrationPlan({
    source: { knex },
    catalog,
    mapping: sampleMapping(catalog),
    target: { pool, schema: env('FERRY_CRASH_TARGET_SCHEMA'), mode, createTables: true, commitEvery: 4000 },
    checkpoints,
    userMap: await sampleUserMap(knex),
    batchSize: 2000,
    partitions,
    runId,
  });
  const result = await run(plan, { runId, checkpoints, concurrency: partitions > 1 ? 4 : 3 });
  process.stdout.write(`done ${result.status}\n`);
  process.exitCode = result.status === 'completed' ? 0 : 1;
  for (const entity of result.entities)
    if (entity.error !== undefined) process.stderr.write(`${entity.entity}: ${entity.error.message}\n`);
} finally {
  await knex.destroy();
  await pool.end();
}
