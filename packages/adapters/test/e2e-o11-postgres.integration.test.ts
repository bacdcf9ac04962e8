// End to end, on real databases: the sample O11 database in MariaDB and in PostgreSQL, discovered, a
// generated mapping, migrated into PostgreSQL through o11MigrationPlan and core's run. Every target row
// is compared by key with the row the fixture generators produced, mapped here independently of the
// mapping code (self reference, many-to-many, users, deleted static record → NULL, binary, decimals,
// unicode, dates, a Long Integer key past 2^53). Then verifyMigration agrees, and catches a changed row.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '@ferry/core';
import type { RunResult } from '@ferry/core';
import { generateMapping } from '@ferry/mapping';
import type { MappingSpec, O11Catalog, UserMap } from '@ferry/mapping';
import { createSampleO11Database, discoverO11Catalog, SAMPLE_FIRST_ORDER_ID } from '@ferry/adapters/o11';
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
import {
  checkSampleEntity,
  SAMPLE_DATA_ENTITIES,
  sampleEntityEqual,
} from './fixtures/sample-target-check.js';

const SEED = 23;
const ROWS = 150;
const RAW = { getTypeParser: () => (text: string) => text };

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('O11 on %s → PostgreSQL', (_name, factory) => {
  let source: TestDatabase;
  let target: TestTarget;
  let catalog: O11Catalog;
  let mapping: MappingSpec;
  let userMap: UserMap;
  let options: O11MigrationOptions;
  let result: RunResult;
  let deletedStatic = 0;
  let unmatchedUsers = 0;

  beforeAll(async () => {
    [source, target] = await Promise.all([factory(), openTarget()]);
    await createSampleO11Database(source.knex, { rowsPerEntity: ROWS, seed: SEED });
    catalog = await discoverO11Catalog(source.knex);
    mapping = sampleMapping(catalog);
    userMap = await sampleUserMap(source.knex);
    const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema });
    options = {
      source: { knex: source.knex },
      catalog,
      mapping,
      target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: true },
      checkpoints,
      userMap,
      batchSize: 40,
    };
    const planned = await o11MigrationPlan(options);
    result = await run(planned.plan, { runId: 'e2e', checkpoints, retry: { retries: 0 } });
    deletedStatic = planned.stats.get('Sales.Order', 'deleted-static-record');
    unmatchedUsers = planned.stats.get('Catalog.Product', 'unmatched-user');
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  test('the run completes every entity and the cyclic pass', () => {
    expect(result.entities.map((e) => [e.entity, e.status])).toEqual(
      expect.arrayContaining([
        ['Catalog.Category', 'completed'],
        ['Catalog.Category#pass2', 'completed'],
        ['Catalog.ProductTag', 'completed'],
        ['Sales.OrderLine', 'completed'],
      ]),
    );
    expect(result.status).toBe('completed');
    expect(result.entities.every((e) => e.rowsRejected === 0)).toBe(true);
  });

  test.each(SAMPLE_DATA_ENTITIES)('every row of %s equals its mapped source row, by key', async (name) => {
    const check = await checkSampleEntity(
      {
        pool: target.pool,
        schema: target.schema,
        catalog,
        mapping,
        seed: SEED,
        rowsPerEntity: ROWS,
        user: sampleOdcUser,
      },
      name,
    );
    expect(check).toEqual(sampleEntityEqual(check));
    expect(check.expected).toBeGreaterThan(0);
  });

  test('covers what it claims: bigint keys past 2^53, deleted static record, users, self reference', async () => {
    const orders = await target.pool.query<{ id: string; status_id: string | null }>({
      text: `SELECT id, status_id FROM ${target.schema}."order" ORDER BY id`,
      types: RAW,
    });
    expect(orders.rows[0]!.id).toBe(SAMPLE_FIRST_ORDER_ID.toString());
    const nullStatus = orders.rows.filter((r) => r.status_id === null).length;
    expect(nullStatus).toBeGreaterThan(0);
    expect(deletedStatic).toBe(nullStatus);
    expect(unmatchedUsers).toBeGreaterThan(0);
    const parents = await target.pool.query(
      `SELECT count(*)::int AS n FROM ${target.schema}.category WHERE parent_id IS NOT NULL`,
    );
    expect(parents.rows[0].n).toBeGreaterThan(0);
    const photos = await target.pool.query(
      `SELECT count(*)::int AS n FROM ${target.schema}.product WHERE length(photo) = 1024`,
    );
    expect(photos.rows[0].n).toBeGreaterThan(0);
  });

  test('verifyMigration reports every entity equal, then finds one changed row by key', async () => {
    const report = await verifyMigration(options);
    expect(report.entities.map((e) => [e.entity, e.ok, e.source.rows === e.target.rows])).toEqual(
      mapping.entities.map((e) => [e.name, true, true]),
    );
    expect(report.ok).toBe(true);
    const order = report.entities.find((e) => e.entity === 'Sales.Order')!;
    expect(order.source.rows).toBe(ROWS);
    await target.pool.query(`UPDATE ${target.schema}."order" SET total = total + 0.00000001 WHERE id = $1`, [
      (SAMPLE_FIRST_ORDER_ID + 5n).toString(),
    ]);
    const changed = await verifyMigration(options);
    expect(changed.ok).toBe(false);
    expect(changed.entities.filter((e) => !e.ok).map((e) => e.entity)).toEqual(['Sales.Order']);
    const bad = changed.entities.find((e) => e.entity === 'Sales.Order')!;
    expect(bad.target.rows).toBe(bad.source.rows);
    expect(bad.target.checksum).not.toBe(bad.source.checksum);
    expect(bad.differences).toEqual({
      missing: [],
      unexpected: [],
      changed: [[(SAMPLE_FIRST_ORDER_ID + 5n).toString()]],
      truncated: false,
    });
  });

  test('with Order.StatusId made mandatory by hand, orders pointing at the deleted static record are rejected, and verify sees it', async () => {
    // The run above used StatusId made optional (deleted record → NULL, as the Migration Kit); the
    // generated mapping keeps it mandatory, which rejects those rows, and verifyMigration, which leaves
    // rejected rows out of the source, lists the target rows the optional mapping loaded for them.
    const generated = generateMapping(catalog);
    const strict = {
      ...generated,
      entities: generated.entities.map((entity) =>
        entity.name !== 'Sales.Order'
          ? entity
          : {
              ...entity,
              attributes: {
                ...entity.attributes,
                StatusId: { ...entity.attributes['StatusId']!, mandatory: true },
              },
            },
      ),
    };
    const report = await verifyMigration({ ...options, mapping: strict, entities: ['Sales.Order'] });
    const order = report.entities[0]!;
    expect(order.source.rejected).toBe(deletedStatic);
    expect(order.source.rows + order.source.rejected).toBe(ROWS);
    expect(order.ok).toBe(false);
    expect(order.differences?.missing).toEqual([]);
    expect(order.differences?.unexpected.length).toBe(Math.min(20, deletedStatic));
  });
});
