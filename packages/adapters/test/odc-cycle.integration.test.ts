// Issue 13, case 1: a mandatory reference inside a cycle. Invoice.ClientId is mandatory (Protect) and
// Client.MainInvoiceId optional (Ignore). The cycle must break at the optional reference only, so
// Invoice loads with client_id set in pass 1: on an ODC-shaped target (NOT NULL, foreign keys) and on
// tables Ferry creates (where client_id must be NOT NULL too). MariaDB and PostgreSQL sources.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '@ferry/core';
import type { RunResult } from '@ferry/core';
import { generateMapping } from '@ferry/mapping';
import { createSampleO11Database, cycleShape, discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';
import { openTarget, type TestTarget } from './fixtures/migration-setup.js';
import { createOdcTables } from './fixtures/odc-target-tables.js';

const ENTITIES = ['Sales.Client', 'Sales.Invoice'];
const ROWS = 40;

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('a mandatory reference in a cycle, O11 on %s', (_name, factory) => {
  describe.each([['ODC-shaped tables'], ['createTables']])('into %s', (tables) => {
    let source: TestDatabase;
    let target: TestTarget;
    let options: O11MigrationOptions;
    let result: RunResult;

    beforeAll(async () => {
      [source, target] = await Promise.all([factory(), openTarget()]);
      await createSampleO11Database(source.knex, { rowsPerEntity: ROWS, seed: 3, extra: cycleShape });
      const catalog = await discoverO11Catalog(source.knex);
      const odc = tables === 'ODC-shaped tables';
      if (odc) await createOdcTables(target.pool, target.schema, catalog, ENTITIES);
      const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema });
      options = {
        source: { knex: source.knex },
        catalog,
        mapping: generateMapping(catalog),
        target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: !odc },
        checkpoints,
        entities: ENTITIES,
        batchSize: 25,
      };
      const { plan } = await o11MigrationPlan(options);
      result = await run(plan, { runId: 'cycle', checkpoints, retry: { retries: 0 } });
    }, 120_000);
    afterAll(async () => {
      await target?.drop();
      await source?.drop();
    });

    test('the run completes, with a second pass for Client only', () => {
      expect(result.status).toBe('completed');
      expect(result.entities.map((e) => e.entity).sort()).toEqual([
        'Sales.Client',
        'Sales.Client#pass2',
        'Sales.Invoice',
      ]);
    });

    test('invoice.client_id is NOT NULL and every row equals its source row', async () => {
      const nullable = await target.pool.query<{ is_nullable: string }>(
        `SELECT is_nullable FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = 'invoice' AND column_name = 'client_id'`,
        [target.schema],
      );
      expect(nullable.rows[0]!.is_nullable).toBe('NO');
      const want = await source.knex
        .select('c.ID as id', 'c.MAININVOICEID as main', 'i.ID as invoice', 'i.CLIENTID as client')
        .from(`${catalogTable(options, 'Sales.Client')} as c`)
        .join(`${catalogTable(options, 'Sales.Invoice')} as i`, 'i.CLIENTID', 'c.ID')
        .orderBy('i.ID');
      const got = await target.pool.query(
        `SELECT c.id, c.main_invoice_id AS main, i.id AS invoice, i.client_id AS client
           FROM ${target.schema}.client c JOIN ${target.schema}.invoice i ON i.client_id = c.id
          ORDER BY i.id`,
      );
      expect(got.rows.length).toBe(ROWS * 3);
      expect(got.rows).toEqual(
        want.map((r: Record<string, unknown>) => ({
          id: Number(r.id),
          main: r.main === null ? null : Number(r.main),
          invoice: Number(r.invoice),
          client: Number(r.client),
        })),
      );
    });

    test('verify agrees', async () => {
      const report = await verifyMigration(options);
      expect(report.ok).toBe(true);
    });
  });
});

function catalogTable(options: O11MigrationOptions, name: string): string {
  return options.catalog.entities.find((e) => e.qualifiedName === name)!.physicalTable;
}
