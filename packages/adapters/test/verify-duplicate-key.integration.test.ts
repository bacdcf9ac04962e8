// Issue 12's verify case: 2,503 source rows, two of them identical (same key, same values), 2,502 in
// the target. A keyset read skips the second row of a key, so the verification that streamed the source
// that way counted 2,502 and passed; on the diff engine the source rows are counted as they are, and
// the key held twice is named. MariaDB and PostgreSQL sources.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '@ferry/core';
import { generateMapping } from '@ferry/mapping';
import {
  createSampleO11Database,
  discoverO11Catalog,
  DUPLICATE_KEY_ROWS,
  duplicateKeyShape,
  PRICE_ROW_MAPPING,
} from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration, type O11MigrationOptions } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase, type TestDatabase } from './fixtures/test-databases.js';
import { openTarget, type TestTarget } from './fixtures/migration-setup.js';
import { removePriceRowTwin } from './fixtures/diff-sample.js';

const ENTITY = 'Sales.PriceRow';

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('verify, a key held by two identical rows, O11 on %s', (_name, factory) => {
  let source: TestDatabase;
  let target: TestTarget;
  let options: O11MigrationOptions;

  beforeAll(async () => {
    [source, target] = await Promise.all([factory(), openTarget()]);
    await createSampleO11Database(source.knex, { rowsPerEntity: 10, seed: 4, extra: duplicateKeyShape });
    const catalog = await discoverO11Catalog(source.knex);
    const table = catalog.entities.find((e) => e.qualifiedName === ENTITY)!.physicalTable;
    // The run refuses a non-unique key, so the twin is removed for the run and put back after it:
    // the source then holds a row the target lacks under a key the target holds.
    await removePriceRowTwin(source, table);
    const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema });
    options = {
      source: { knex: source.knex },
      catalog,
      mapping: { ...generateMapping(catalog), entities: [PRICE_ROW_MAPPING] },
      target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: true },
      checkpoints,
      entities: [ENTITY],
    };
    const { plan } = await o11MigrationPlan(options);
    const result = await run(plan, { runId: 'twin', checkpoints, retry: { retries: 0 } });
    expect(result.status).toBe('completed');
    await source.knex(table).insert({ CODE: 'C20', N: 20, PRICE: '1020.5' });
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  test('2,503 source rows, 2,502 in the target: verify fails and names the key', async () => {
    const counted = await source
      .knex(options.catalog.entities.find((e) => e.qualifiedName === ENTITY)!.physicalTable)
      .count({ n: '*' });
    expect(Number(counted[0]!.n)).toBe(DUPLICATE_KEY_ROWS);
    const stored = await target.pool.query(`SELECT count(*)::int AS n FROM ${target.schema}.price_row`);
    expect(stored.rows[0].n).toBe(DUPLICATE_KEY_ROWS - 1);
    const report = await verifyMigration(options);
    const entity = report.entities[0]!;
    expect(report.ok).toBe(false);
    expect(entity).toMatchObject({
      entity: ENTITY,
      ok: false,
      source: { rows: DUPLICATE_KEY_ROWS },
      target: { rows: DUPLICATE_KEY_ROWS - 1 },
    });
    expect(entity.differences).toEqual({
      missing: [['C20', '20']],
      unexpected: [],
      changed: [],
      truncated: false,
    });
  });
});
