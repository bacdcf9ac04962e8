// A partitioned migration on real databases: the sample O11 database in MariaDB and in PostgreSQL,
// migrated into PostgreSQL with every entity split into key ranges (Sales.Order into 4). The target
// holds the generators' rows, converted in the test apart from the mapping code, row by row by key (and
// verifyMigration agrees; no duplicate key), a
// dependant starts only after every partition of what it references ended, the cyclic pass after
// pass 1, and a re-plan of the finished run (another partition count) reuses the stored ranges.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePartitionId, run } from '@ferry/core';
import type { RunEvent, RunResult } from '@ferry/core';
import type { O11Catalog } from '@ferry/mapping';
import { createSampleO11Database, discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';
import {
  openTarget,
  sampleMapping,
  sampleOdcUser,
  sampleUserMap,
  type TestTarget,
} from './fixtures/migration-setup.js';
import { checkSampleTarget, sampleEntityEqual } from './fixtures/sample-target-check.js';

const ROWS = 300;
const SEED = 7;

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('partitioned migration, O11 on %s → PostgreSQL', (_name, factory) => {
  let source: TestDatabase;
  let target: TestTarget;
  let catalog: O11Catalog;
  let options: O11MigrationOptions;
  let result: RunResult;
  const events: RunEvent[] = [];

  beforeAll(async () => {
    [source, target] = await Promise.all([factory(), openTarget()]);
    await createSampleO11Database(source.knex, { rowsPerEntity: ROWS, seed: SEED });
    catalog = await discoverO11Catalog(source.knex);
    const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema });
    options = {
      source: { knex: source.knex },
      catalog,
      mapping: sampleMapping(catalog),
      target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: true },
      checkpoints,
      userMap: await sampleUserMap(source.knex),
      batchSize: 25,
      partitions: { default: 3, entities: { 'Sales.Order': 4 } },
      runId: 'parts',
    };
    const { plan } = await o11MigrationPlan(options);
    result = await run(plan, {
      runId: 'parts',
      checkpoints,
      concurrency: 4,
      retry: { retries: 0 },
      onEvent: (event) => events.push(event),
    });
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  test('every entity runs as its key ranges and completes', () => {
    expect(result.status).toBe('completed');
    const names = result.entities.map((e) => e.entity);
    expect(names).toEqual(
      expect.arrayContaining(['Sales.Order[1/4]', 'Sales.Order[4/4]', 'Catalog.Category#pass2[3/3]']),
    );
    expect(names.filter((n) => parsePartitionId(n)?.of === 'Sales.Order')).toHaveLength(4);
    const order = result.entities.filter((e) => parsePartitionId(e.entity)?.of === 'Sales.Order');
    expect(order.reduce((sum, e) => sum + e.rowsRead, 0)).toBe(ROWS);
    expect(Math.min(...order.map((e) => e.rowsRead))).toBeGreaterThan(0);
  });

  test('every target row equals its generated source row, by key (independent of the mapping code)', async () => {
    const checks = await checkSampleTarget({
      pool: target.pool,
      schema: target.schema,
      catalog,
      mapping: sampleMapping(catalog),
      seed: SEED,
      rowsPerEntity: ROWS,
      user: sampleOdcUser,
    });
    expect(checks).toEqual(checks.map(sampleEntityEqual));
  });

  test('verify finds every target table equal to its source, with no duplicate key', async () => {
    const report = await verifyMigration({ ...options, listKeys: 5 });
    expect(report.entities.filter((e) => !e.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    const ids = await target.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM ${target.schema}."order"`,
    );
    expect(ids.rows[0]).toEqual({ n: ROWS, d: ROWS });
  });

  test('a dependant starts after every partition it depends on ended; the cyclic pass after pass 1', () => {
    const at = (type: RunEvent['type'], of: string): number[] =>
      events.flatMap((event, i) =>
        event.type === type &&
        'entity' in event &&
        (parsePartitionId(event.entity)?.of ?? event.entity) === of
          ? [i]
          : [],
      );
    expect(Math.min(...at('entity:start', 'Sales.OrderLine'))).toBeGreaterThan(
      Math.max(...at('entity:end', 'Sales.Order')),
    );
    expect(Math.min(...at('entity:start', 'Catalog.Category#pass2'))).toBeGreaterThan(
      Math.max(...at('entity:end', 'Catalog.Category')),
    );
  });

  test('a re-plan of the run keeps its ranges whatever partitions now says, and finds it done', async () => {
    const { plan } = await o11MigrationPlan({ ...options, partitions: 2 });
    expect(plan.entities.map((p) => p.entity)).toContain('Sales.Order[4/4]');
    const again = await run(plan, { runId: 'parts', checkpoints: options.checkpoints! });
    expect(again.status).toBe('already-completed');
  });
});
