// Issue 13, case 5: a reference whose type code names another module's SS_KEY
// (`bt<foreign module>*<Ledger's SS_KEY>`, as OutSystems' data-migration guide shows). It must resolve
// by the entity SS_KEY and keep the Long Integer type, the load order and the foreign key: into
// ODC-shaped tables (written here by hand) and tables Ferry creates; MariaDB and PostgreSQL sources.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '@ferry/core';
import type { Plan, RunResult } from '@ferry/core';
import { generateMapping } from '@ferry/mapping';
import type { O11Catalog } from '@ferry/mapping';
import {
  createSampleO11Database,
  discoverO11Catalog,
  FOREIGN_MODULE_SS_KEY,
  foreignModuleKeyShape,
  LEDGER_FIRST_ID,
} from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';
import { openTarget, type TestTarget } from './fixtures/migration-setup.js';

const ENTITIES = ['Sales.Ledger', 'Sales.LedgerLine'];
const ROWS = 30;

/** ledger and ledger_line as the ODC app defines them: bigint key, NOT NULL, a foreign key. */
async function createOdcLedgerTables(target: TestTarget): Promise<void> {
  const s = target.schema;
  await target.pool.query(`CREATE TABLE ${s}.ledger (id bigint PRIMARY KEY, title varchar(50) NOT NULL)`);
  await target.pool.query(
    `CREATE TABLE ${s}.ledger_line (id integer PRIMARY KEY,
       ledger_id bigint NOT NULL REFERENCES ${s}.ledger (id), amount numeric(37,8))`,
  );
}

const lineOf = (catalog: O11Catalog) =>
  catalog.entities
    .find((e) => e.qualifiedName === 'Sales.LedgerLine')!
    .attributes.find((a) => a.name === 'LedgerId')!;

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('a reference code naming another module, O11 on %s', (_name, factory) => {
  let source: TestDatabase;
  let catalog: O11Catalog;

  beforeAll(async () => {
    source = await factory();
    await createSampleO11Database(source.knex, {
      rowsPerEntity: ROWS,
      seed: 5,
      extra: foreignModuleKeyShape,
    });
    catalog = await discoverO11Catalog(source.knex);
  }, 120_000);
  afterAll(async () => source?.drop());

  test('discovery resolves the reference by the entity SS_KEY and keeps Long Integer', () => {
    const attribute = lineOf(catalog);
    expect(attribute.typeCode.toLowerCase()).toContain(`bt${FOREIGN_MODULE_SS_KEY}*`);
    expect(attribute.type).toBe('rtLongInteger');
    expect(attribute.reference).toMatchObject({ kind: 'entity', target: 'Sales.Ledger' });
  });

  test('the generated mapping keeps the reference, without a warning about it', () => {
    const warnings: string[] = [];
    const mapping = generateMapping(catalog, { onWarning: (m) => warnings.push(m) });
    const line = mapping.entities.find((e) => e.name === 'Sales.LedgerLine')!;
    expect(line.attributes.LedgerId).toMatchObject({
      type: 'rtLongInteger',
      mandatory: true,
      reference: { kind: 'entity', entity: 'Sales.Ledger' },
    });
    expect(warnings.filter((w) => w.includes('LedgerId'))).toEqual([]);
  });

  describe.each([['ODC-shaped tables'], ['createTables']])('into %s', (tables) => {
    let target: TestTarget;
    let options: O11MigrationOptions;
    let plan: Plan;
    let result: RunResult;

    beforeAll(async () => {
      target = await openTarget();
      const odc = tables === 'ODC-shaped tables';
      if (odc) await createOdcLedgerTables(target);
      const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema });
      options = {
        source: { knex: source.knex },
        catalog,
        mapping: generateMapping(catalog),
        target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: !odc },
        checkpoints,
        entities: ENTITIES,
        batchSize: 16,
      };
      plan = (await o11MigrationPlan(options)).plan;
      result = await run(plan, { runId: 'foreign-key-code', checkpoints, retry: { retries: 0 } });
    }, 120_000);
    afterAll(async () => target?.drop());

    test('LedgerLine loads after Ledger and the run completes', () => {
      const line = plan.entities.find((p) => p.entity === 'Sales.LedgerLine')!;
      expect(line.dependsOn).toContain('Sales.Ledger');
      expect(result.status, JSON.stringify(result.entities.map((e) => e.error?.message))).toBe('completed');
    });

    test('ledger_id is a NOT NULL bigint and every line equals its source row', async () => {
      const column = await target.pool.query<{ data_type: string; is_nullable: string }>(
        `SELECT data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = 'ledger_line' AND column_name = 'ledger_id'`,
        [target.schema],
      );
      expect(column.rows[0]).toEqual({ data_type: 'bigint', is_nullable: 'NO' });
      const got = await target.pool.query<{ id: number; ledger: string; amount: string }>(
        `SELECT id, ledger_id::text AS ledger, amount::text AS amount
           FROM ${target.schema}.ledger_line ORDER BY id`,
      );
      // Expected values from the shape's own rule, not from Ferry: line j points at ledger j mod ROWS.
      expect(got.rows).toEqual(
        Array.from({ length: ROWS * 2 }, (_, i) => ({
          id: i + 1,
          ledger: String(LEDGER_FIRST_ID + BigInt((i + 1) % ROWS)),
          amount: `${i + 1}.12500000`,
        })),
      );
    });

    test('verify agrees', async () => {
      expect((await verifyMigration(options)).ok).toBe(true);
    });
  });
});

describe('an entity SS_KEY held by two other modules', () => {
  let source: TestDatabase;
  afterAll(async () => source?.drop());

  test('stays unresolved and the warning names both candidates', async () => {
    source = await mariadbDatabase();
    await createSampleO11Database(source.knex, { rowsPerEntity: 5, seed: 5, extra: foreignModuleKeyShape });
    const db = source.knex;
    // Ledger moves to Catalog, and a clone of Catalog holds an entity with the same SS_KEY.
    const ledger = (await db('OSSYS_ENTITY').where({ NAME: 'Ledger' }).first()) as Record<string, unknown>;
    const catalogModule = (await db('OSSYS_ESPACE').where({ NAME: 'Catalog' }).first()) as { ID: number };
    await db('OSSYS_ENTITY').where({ NAME: 'Ledger' }).update({ ESPACE_ID: catalogModule.ID });
    await db('OSSYS_ESPACE').insert({
      ID: 90,
      NAME: 'CatalogClone',
      SS_KEY: FOREIGN_MODULE_SS_KEY.replace('0f', 'aa'),
      IS_ACTIVE: 1,
      IS_SYSTEM: 0,
    });
    await db('OSSYS_ENTITY').insert({
      ...ledger,
      ID: 900,
      ESPACE_ID: 90,
      PHYSICAL_TABLE_NAME: 'OSUSR_CLN_LEDGER',
    });
    const catalog = await discoverO11Catalog(db);
    const attribute = lineOf(catalog);
    expect(attribute.reference?.target).toBeUndefined();
    expect(attribute.reference?.candidates).toEqual(['Catalog.Ledger', 'CatalogClone.Ledger']);
    const warnings: string[] = [];
    generateMapping(catalog, { onWarning: (m) => warnings.push(m) });
    const warning = warnings.find((w) => w.startsWith('Sales.LedgerLine.LedgerId'));
    expect(warning).toContain('Catalog.Ledger, CatalogClone.Ledger');
  }, 120_000);
});
