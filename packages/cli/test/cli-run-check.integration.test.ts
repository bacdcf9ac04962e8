// Issue 13, cases 6 and 7, through the commands, with the O11 sample on MariaDB and on PostgreSQL:
// `run` checks the entities it is about to write and refuses on findings (--skip-check starts anyway,
// and a refused row is then named by column and key, never by value); user references with no users
// source are a finding of check and plan, a note of assess, and `run` refuses them until
// `users.unmatched` is set; user reference columns Ferry creates are uuid. Targets: tables pre-created
// as the ODC app has them (NOT NULL, foreign key) and tables Ferry creates.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_GUID } from '@ferry/mapping';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, PG_URL, type Fixture, type SourceEngine } from './cli-harness.js';

const ENTITIES = ['-e', 'Catalog.Category', '-e', 'Catalog.Product'];
const LONG_EMAIL = 'a.long.sales.address@example.com';
const BAD_PRODUCT = 7;

/** category and product as the ODC app defines them (product.sales_email is `emailLength` long). */
async function createOdcTables(fixture: Fixture, emailLength: number): Promise<void> {
  const s = fixture.targetSchema;
  await fixture.target.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await fixture.target.query(
    `CREATE TABLE ${s}.category (id integer PRIMARY KEY, name varchar(50) NOT NULL, parent_id integer,
       sort_order integer)`,
  );
  await fixture.target.query(
    `CREATE TABLE ${s}.product (id integer PRIMARY KEY, name varchar(200) NOT NULL, description text,
       price numeric(37,8), weight numeric(10,3), is_available boolean, launch_date date, photo bytea,
       category_id integer REFERENCES ${s}.category (id), created_by uuid, created_on timestamp,
       sales_email varchar(${emailLength}))`,
  );
}

async function rowCount(fixture: Fixture, table: string): Promise<number> {
  const result = await fixture.target.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [fixture.targetSchema, table],
  );
  if (result.rows[0]!.n === 0) return 0;
  const rows = await fixture.target.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${fixture.targetSchema}.${table}`,
  );
  return rows.rows[0]!.n;
}

/** product's user references and e-mails equal the source's, each user reference the empty GUID. */
async function expectProductsLikeSource(fixture: Fixture): Promise<void> {
  const table = await physicalTable(fixture.source, 'Product');
  const source = (await fixture.source(table).select('ID', 'CREATEDBY', 'SALESEMAIL').orderBy('ID')) as {
    ID: number;
    CREATEDBY: number | null;
    SALESEMAIL: string;
  }[];
  const target = await fixture.target.query(
    `SELECT id, created_by::text AS created_by, sales_email FROM ${fixture.targetSchema}.product ORDER BY id`,
  );
  expect(target.rows).toEqual(
    source.map((r) => ({
      id: Number(r.ID),
      created_by: r.CREATEDBY === null ? null : EMPTY_GUID,
      sales_email: r.SALESEMAIL,
    })),
  );
}

describe.each<[string, SourceEngine]>([
  ['MariaDB', 'mariadb'],
  ['PostgreSQL', 'postgres'],
])('O11 on %s', (_name, engine) => {
  describe('case 6: run refuses on check findings; a refused row is named by column and key', () => {
    let fixture: Fixture;
    const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

    beforeAll(async () => {
      fixture = await openFixture(10, {}, {}, PG_URL, engine);
      const table = await physicalTable(fixture.source, 'Product');
      await fixture.source(table).where({ ID: BAD_PRODUCT }).update({ SALESEMAIL: LONG_EMAIL });
      expect((await cli('discover')).code).toBe(ExitCode.ok);
    }, 180_000);
    afterAll(async () => fixture?.drop());

    describe('into ODC-shaped tables where sales_email is varchar(20)', () => {
      beforeAll(async () => {
        await fixture.writeConfig({ target: { ...(fixture.config.target as object), createTables: false } });
        await createOdcTables(fixture, 20);
      }, 60_000);

      it('check reports the length (exit 3)', async () => {
        const result = await cli('--json', 'check', ...ENTITIES);
        expect(result.code, result.stderr).toBe(ExitCode.findings);
        const { findings } = JSON.parse(result.stdout) as { findings: unknown[] };
        expect(findings).toEqual([
          {
            kind: 'length',
            entity: 'Catalog.Product',
            attribute: 'SalesEmail',
            expected: 'varchar(250)',
            actual: 'varchar(20)',
          },
        ]);
      });

      it('run refuses (exit 3) and writes nothing', async () => {
        const result = await cli('run', ...ENTITIES);
        expect(result.code, result.stdout + result.stderr).toBe(ExitCode.findings);
        expect(result.stderr).toContain('Run refused');
        expect(result.stderr).toContain('--skip-check');
        expect(result.stdout).toContain('SalesEmail');
        expect(await rowCount(fixture, 'category')).toBe(0);
        expect(await rowCount(fixture, 'product')).toBe(0);
      });

      it('run --skip-check fails naming table, column and key, never the value', async () => {
        const result = await cli('run', '--skip-check', ...ENTITIES);
        expect(result.code, result.stdout + result.stderr).toBe(ExitCode.failed);
        expect(result.stderr).toContain(`${fixture.targetSchema}.product`);
        expect(result.stderr).toContain('SQLSTATE 22001');
        expect(result.stderr).toContain('column "sales_email"');
        expect(result.stderr).toContain(`first failing row: key (id) = (${BAD_PRODUCT})`);
        expect(result.stdout + result.stderr).not.toContain(LONG_EMAIL);
      });
    });

    describe('with createTables and a mapping edited to make sales_email varchar(20)', () => {
      beforeAll(async () => {
        await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.targetSchema} CASCADE`);
        await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.stateSchema} CASCADE`);
        await fixture.writeConfig({ runId: `${String(fixture.config.runId)}-created` });
        const path = join(fixture.dir, 'ferry.mapping.json');
        const mapping = JSON.parse(await readFile(path, 'utf8')) as {
          entities: { name: string; attributes: Record<string, { targetLength?: number }> }[];
        };
        mapping.entities.find((e) => e.name === 'Catalog.Product')!.attributes.SalesEmail!.targetLength = 20;
        await writeFile(path, JSON.stringify(mapping, null, 2));
      }, 60_000);

      // The mapping knows the length here, so the row is rejected before the target sees it.
      it('run rejects the row with entity, attribute and key, never the value; the others load', async () => {
        const result = await cli('run', ...ENTITIES);
        expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
        const runId = `${String(fixture.config.runId)}-created`;
        const report = JSON.parse(
          await readFile(join(fixture.dir, '.ferry', `${runId}.report.json`), 'utf8'),
        ) as { entities: { entity: string; rowsRead: number; rowsWritten: number; rowsRejected: number }[] };
        expect(report.entities.find((e) => e.entity === 'Catalog.Product')).toMatchObject({
          rowsRead: 10,
          rowsWritten: 9,
          rowsRejected: 1,
        });
        const rejects = (await readFile(join(fixture.dir, '.ferry', `${runId}.rejects.ndjson`), 'utf8'))
          .split('\n')
          .filter((line) => line !== '');
        expect(rejects.map((line) => JSON.parse(line) as unknown)).toEqual([
          expect.objectContaining({
            entity: 'Catalog.Product',
            key: [String(BAD_PRODUCT)],
            attribute: 'SalesEmail',
          }),
        ]);
        expect(rejects.join('\n') + result.stdout + result.stderr).not.toContain(LONG_EMAIL);
        const ids = await fixture.target.query<{ id: number }>(
          `SELECT id FROM ${fixture.targetSchema}.product ORDER BY id`,
        );
        expect(ids.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10]);
      });
    });
  });

  describe('case 7: user references with no users configuration', () => {
    let fixture: Fixture;
    const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

    beforeAll(async () => {
      fixture = await openFixture(10, {}, {}, PG_URL, engine);
      await fixture.writeConfig({ users: undefined });
      expect((await cli('discover')).code).toBe(ExitCode.ok);
    }, 180_000);
    afterAll(async () => fixture?.drop());

    it('check reports them (exit 3), pointing at ferry users and the users config', async () => {
      const result = await cli('--json', 'check', ...ENTITIES);
      expect(result.code, result.stderr).toBe(ExitCode.findings);
      const { findings } = JSON.parse(result.stdout) as { findings: Record<string, string>[] };
      expect(findings).toEqual([
        expect.objectContaining({
          kind: 'users',
          entity: 'Catalog.Product',
          attribute: 'CreatedBy',
          actual: 'no users source: every user reference would become the empty GUID',
        }),
      ]);
      expect(findings[0]!.expected).toContain('ferry users --apply');
      expect(findings[0]!.expected).toContain('users.unmatched');
    });

    it('plan lists them (exit 3); assess notes them', async () => {
      const plan = await cli('plan');
      expect(plan.code, plan.stderr).toBe(ExitCode.findings);
      expect(plan.stdout).toContain('Sales.Order');
      expect(plan.stdout).toContain('CreatedBy');
      const assess = await cli('assess');
      expect(assess.stdout).toContain('user references (Catalog.Product: CreatedBy; Sales.Order: CreatedBy)');
      expect(assess.stdout).toContain('ferry users --apply');
    });

    it('run refuses (exit 3), with or without --skip-check, and writes nothing', async () => {
      for (const args of [ENTITIES, ['--skip-check', ...ENTITIES]]) {
        const result = await cli('run', ...args);
        expect(result.code, result.stdout + result.stderr).toBe(ExitCode.findings);
        expect(result.stdout).toContain('no users source');
        expect(result.stderr).toContain('Run refused');
      }
      expect(await rowCount(fixture, 'product')).toBe(0);
    });

    it('with users.unmatched set, run loads into uuid columns it creates', async () => {
      await fixture.writeConfig({ users: { unmatched: 'empty-guid' } });
      expect((await cli('check', ...ENTITIES)).code).toBe(ExitCode.ok);
      const result = await cli('run', ...ENTITIES);
      expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
      const column = await fixture.target.query(
        `SELECT data_type FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = 'product' AND column_name = 'created_by'`,
        [fixture.targetSchema],
      );
      expect(column.rows[0]).toEqual({ data_type: 'uuid' });
      await expectProductsLikeSource(fixture);
    });

    it('with users.unmatched set, run loads into ODC-shaped tables', async () => {
      await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.targetSchema} CASCADE`);
      await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.stateSchema} CASCADE`);
      await createOdcTables(fixture, 250);
      await fixture.writeConfig({
        users: { unmatched: 'empty-guid' },
        target: { ...(fixture.config.target as object), createTables: false },
      });
      expect((await cli('check', ...ENTITIES)).code).toBe(ExitCode.ok);
      const result = await cli('run', ...ENTITIES);
      expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
      await expectProductsLikeSource(fixture);
    });
  });
});
