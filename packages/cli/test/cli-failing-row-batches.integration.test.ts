// Issue 13, case 6, as a reviewer found it: `run --skip-check` into an ODC-shaped table whose
// sales_email is varchar(20), one product's e-mail too long, read from a real keyset source in several
// batches of one transaction. Whether the server refuses the row while a batch is written (insert),
// between two writes (a COPY piece refused after it was sent) or at commit (the end of the COPY, one
// batch), the error names the table, the column and the key of the first failing row, for every sink
// mode. The row the mapping rejected in the rolled-back transaction is in the rejects file at most once.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, PG_URL, type Fixture, type SourceEngine } from './cli-harness.js';

const ENTITIES = ['-e', 'Catalog.Category', '-e', 'Catalog.Product'];
const LONG_EMAIL = 'a.long.sales.address@example.com';
/** The product the target refuses (its e-mail is longer than varchar(20)). */
const BAD_PRODUCT = 12;
/** The product the mapping rejects (its name is longer than the mapping's 40). */
const LONG_NAME_PRODUCT = 3;
const LONG_NAME = 'A product name longer than thirty characters';

/** Fresh category and product tables as the ODC app defines them, sales_email varchar(20). */
async function createOdcTables(fixture: Fixture): Promise<void> {
  const s = fixture.targetSchema;
  await fixture.target.query(`DROP SCHEMA IF EXISTS ${s} CASCADE; CREATE SCHEMA ${s};
    CREATE TABLE ${s}.category (id integer PRIMARY KEY, name varchar(50) NOT NULL, parent_id integer,
      sort_order integer);
    CREATE TABLE ${s}.product (id integer PRIMARY KEY, name varchar(200) NOT NULL, description text,
      price numeric(37,8), weight numeric(10,3), is_available boolean, launch_date date, photo bytea,
      category_id integer REFERENCES ${s}.category (id), created_by uuid, created_on timestamp,
      sales_email varchar(20));`);
}

describe.each<SourceEngine>(['mariadb', 'postgres'])('%s source, several batches a transaction', (engine) => {
  let fixture: Fixture;
  const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

  beforeAll(async () => {
    fixture = await openFixture(40, {}, {}, PG_URL, engine);
    const table = await physicalTable(fixture.source, 'Product');
    await fixture.source(table).where({ ID: BAD_PRODUCT }).update({ SALESEMAIL: LONG_EMAIL });
    await fixture.source(table).where({ ID: LONG_NAME_PRODUCT }).update({ NAME: LONG_NAME });
    await fixture.writeConfig({ target: { ...(fixture.config.target as object), createTables: false } });
    expect((await cli('discover')).code).toBe(ExitCode.ok);
    const path = join(fixture.dir, 'ferry.mapping.json');
    const mapping = JSON.parse(await readFile(path, 'utf8')) as {
      entities: { name: string; attributes: Record<string, { targetLength?: number }> }[];
    };
    mapping.entities.find((e) => e.name === 'Catalog.Product')!.attributes.Name!.targetLength = 40;
    await writeFile(path, JSON.stringify(mapping, null, 2));
  }, 180_000);
  afterAll(async () => fixture?.drop());

  describe.each(['copy', 'upsert', 'insert'])('mode %s', (mode) => {
    it.each([5, 7, 1000])(
      'batchSize %i: the error names column and key; rejects of the rolled-back rows at most once',
      async (size) => {
        await createOdcTables(fixture);
        const runId = `${String(fixture.config.runId)}-${mode}-${size}`;
        await fixture.writeConfig({
          runId,
          batchSize: size,
          commitEvery: 100_000,
          target: { ...(fixture.config.target as object), createTables: false, mode },
        });
        const result = await cli('run', '--skip-check', ...ENTITIES);
        const output = result.stdout + result.stderr;
        expect(result.code, output).toBe(ExitCode.failed);
        expect(output).toContain(`${fixture.targetSchema}.product`);
        expect(output).toContain('SQLSTATE 22001');
        // An INSERT's 22001 names no column (COPY's names it in its context line).
        if (mode !== 'insert') expect(output).toContain('column "sales_email"');
        expect(output).toContain(`first failing row: key (id) = (${BAD_PRODUCT})`);
        expect(output).not.toContain(LONG_EMAIL);
        const products = await fixture.target.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${fixture.targetSchema}.product`,
        );
        expect(products.rows[0]!.n).toBe(0);
        // The mapping rejected product 3 in the transaction that was rolled back: the report counts
        // none. A transaction's rejects are written with its commit, so one refused while writing
        // leaves none in the file; one refused in its commit has written them already: once.
        const report = JSON.parse(
          await readFile(join(fixture.dir, '.ferry', `${runId}.report.json`), 'utf8'),
        ) as { entities: { entity: string; rowsRejected: number }[] };
        expect(report.entities.find((e) => e.entity === 'Catalog.Product')?.rowsRejected).toBe(0);
        const rejectsFile = join(fixture.dir, '.ferry', `${runId}.rejects.ndjson`);
        const lines = (await readFile(rejectsFile, 'utf8').catch(() => ''))
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as { entity: string; key: string[] });
        const once = [['Catalog.Product', String(LONG_NAME_PRODUCT)]];
        const got = lines.map((r) => [r.entity, ...r.key]);
        // An INSERT is refused while written; one COPY batch at commit. Several COPY batches: the
        // server's refusal reaches the client while writing or, on a busy machine, only at commit.
        if (mode === 'insert') expect(got).toEqual([]);
        else if (size === 1000) expect(got).toEqual(once);
        else expect([[], once]).toContainEqual(got);
      },
      120_000,
    );
  });
});
