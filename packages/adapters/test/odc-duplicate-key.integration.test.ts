// Issue 13, case 4: a key that is not unique. Sales.PriceRow has no identifier and is keyed by hand
// (["Code", "N"]); the source holds one row twice. Before, 2,503 rows became 2,502 with batchSize 1
// (the keyset read skipped the twin) and failed on the primary key after committing with larger
// batches. Now the plan refuses the entity before writing anything, naming it and the count; with the
// duplicate removed the same mapping migrates every row. MariaDB and PostgreSQL sources, into
// ODC-shaped tables and into tables Ferry creates.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isFerryError, run } from '@ferry/core';
import { generateMapping } from '@ferry/mapping';
import type { MappingSpec, O11Catalog } from '@ferry/mapping';
import {
  createSampleO11Database,
  discoverO11Catalog,
  DUPLICATE_KEY_ROWS,
  duplicateKeyShape,
  PRICE_ROW_MAPPING,
} from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { findDuplicateKeys, o11MigrationPlan } from '@ferry/adapters/migration';
import type { O11MigrationOptions } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';
import { openTarget, type TestTarget } from './fixtures/migration-setup.js';
import { createOdcTables } from './fixtures/odc-target-tables.js';

const ENTITY = 'Sales.PriceRow';

/** The generated mapping plus PriceRow keyed by hand, as a user would add it. */
function withPriceRow(catalog: O11Catalog): MappingSpec {
  const generated = generateMapping(catalog);
  return {
    ...generated,
    entities: [...generated.entities, PRICE_ROW_MAPPING],
  };
}

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('a key held by two rows, O11 on %s', (_name, factory) => {
  describe.each([['ODC-shaped tables'], ['createTables']])('into %s', (tables) => {
    let source: TestDatabase;
    let target: TestTarget;
    let options: O11MigrationOptions;
    let table: string;

    beforeAll(async () => {
      [source, target] = await Promise.all([factory(), openTarget()]);
      await createSampleO11Database(source.knex, { rowsPerEntity: 10, seed: 4, extra: duplicateKeyShape });
      const catalog = await discoverO11Catalog(source.knex);
      table = catalog.entities.find((e) => e.qualifiedName === ENTITY)!.physicalTable;
      const odc = tables === 'ODC-shaped tables';
      if (odc)
        await createOdcTables(target.pool, target.schema, catalog, [ENTITY], { [ENTITY]: ['Code', 'N'] });
      options = {
        source: { knex: source.knex },
        catalog,
        mapping: withPriceRow(catalog),
        target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: !odc },
        checkpoints: new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema }),
        entities: [ENTITY],
        batchSize: 1,
      };
    }, 120_000);
    afterAll(async () => {
      await target?.drop();
      await source?.drop();
    });

    test('findDuplicateKeys counts the key value held twice', async () => {
      const { entities } = await o11MigrationPlan({ ...options, entities: [] }).then((p) => ({
        entities: p.compiled.entities.filter((e) => e.name === ENTITY),
      }));
      expect(await findDuplicateKeys(source.knex, options.catalog, entities)).toEqual([
        { entity: ENTITY, key: ['Code', 'N'], keys: 1, rows: 2 },
      ]);
    });

    test('the plan refuses the entity before writing a row, naming it', async () => {
      const error = await o11MigrationPlan(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isFerryError(error) && error.code).toBe('FERRY_DUPLICATE_KEY');
      expect(String((error as Error).message)).toMatch(
        /Sales\.PriceRow: 1 value\(s\) of its key \(Code, N\)/,
      );
      const rows = await target.pool.query(`SELECT count(*)::int AS n FROM ${target.schema}.price_row`).then(
        (r) => r.rows[0].n as number,
        () => 0,
      );
      expect(rows).toBe(0);
    });

    test('without the twin, every row arrives', async () => {
      await source.knex.raw(
        source.dialect === 'mariadb'
          ? 'DELETE FROM ?? WHERE CODE = ? AND N = ? LIMIT 1'
          : 'DELETE FROM ?? WHERE ctid IN (SELECT ctid FROM ?? WHERE "CODE" = ? AND "N" = ? LIMIT 1)',
        source.dialect === 'mariadb' ? [table, 'C20', 20] : [table, table, 'C20', 20],
      );
      const { plan } = await o11MigrationPlan({ ...options, batchSize: 100 });
      const result = await run(plan, {
        runId: 'dup',
        checkpoints: options.checkpoints!,
        retry: { retries: 0 },
      });
      expect(result.status).toBe('completed');
      expect(result.entities[0]!.rowsRead).toBe(DUPLICATE_KEY_ROWS - 1);
      const rows = await target.pool.query(`SELECT count(*)::int AS n FROM ${target.schema}.price_row`);
      expect(rows.rows[0].n).toBe(DUPLICATE_KEY_ROWS - 1);
    }, 120_000);
  });
});
