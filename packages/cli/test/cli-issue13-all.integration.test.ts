// Issue 13's combined acceptance test through the real `ferry` command: one O11 database on MariaDB
// (≥200k rows, the big entities filled by set-based SQL) holding all seven shapes at once, loaded into
// PostgreSQL tables pre-created by hand as the ODC app has them. Expected rows, rejects and counts come
// from SQL on the source, never from Ferry's mapping code.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_GUID } from '@ferry/mapping';
import {
  combineShapes,
  cycleShape,
  duplicateKeyShape,
  foreignModuleKeyShape,
  orphanShape,
  PRICE_ROW_MAPPING,
} from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, type Fixture } from './cli-harness.js';
import {
  ALL_SHAPES_ENTITIES,
  createOdcShapeTables,
  expectedClientPass2,
  expectedKept,
  expectedUserReferences,
  expectedRejects,
  fillBigEntities,
  NUL_CLIENT,
  sameRows,
  SECRET,
  type Reject,
} from './issue13-all-fixture.js';

interface Counts {
  readonly entity: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
}

let fixture: Fixture;
let table: (entity: string) => Promise<string>;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  const extra = combineShapes(cycleShape, orphanShape, duplicateKeyShape, foreignModuleKeyShape);
  fixture = await openFixture(10, { batchSize: 5000 }, { seed: 13, extra });
  table = (entity) => physicalTable(fixture.source, entity.slice(entity.indexOf('.') + 1));
  await fillBigEntities(fixture.source, table);
  // Case 6: the ODC app's product.sales_email is varchar(20), shorter than O11's 250.
  await createOdcShapeTables(fixture.target, fixture.targetSchema, 20);
  // Case 7: users.unmatched set explicitly (no ODC users source).
  await fixture.writeConfig({
    target: { ...(fixture.config.target as object), createTables: false },
    users: { unmatched: 'empty-guid' },
  });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  // Case 4: Sales.PriceRow has no identifier; the user keys it by hand.
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as { entities: { name?: string }[] };
  // Case 5: discovery resolved LedgerId's foreign-module code to Sales.Ledger (else no FK order).
  const line = mapping.entities.find((e) => e.name === 'Sales.LedgerLine') as {
    attributes: Record<string, { type?: string; reference?: { entity?: string } }>;
  };
  expect(line.attributes['LedgerId']).toMatchObject({
    type: 'rtLongInteger',
    reference: { entity: 'Sales.Ledger' },
  });
  // The migration holds the entities of the shapes (the mapping lists them, so status plans them).
  const wanted: readonly string[] = ALL_SHAPES_ENTITIES;
  mapping.entities = [...mapping.entities.filter((e) => wanted.includes(e.name ?? '')), PRICE_ROW_MAPPING];
  await writeFile(path, JSON.stringify(mapping, null, 2));
}, 600_000);
afterAll(async () => fixture?.drop());

/** Every rejected row in the run's reject file with reason, entity, attribute and key, no value. */
async function expectRejectFile(runId: string): Promise<void> {
  const text = await readFile(join(fixture.dir, '.ferry', `${runId}.rejects.ndjson`), 'utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  const records = lines.map((line) => JSON.parse(line) as Reject & { message: string });
  for (const r of records) expect(r.message, JSON.stringify(r)).not.toBe('');
  const got = records.map(({ message: _m, ...r }) => r);
  const byKey = (a: Reject, b: Reject) =>
    `${a.entity}/${a.key.join()}`.localeCompare(`${b.entity}/${b.key.join()}`);
  const want = await expectedRejects(fixture.source, table);
  expect([...got].sort(byKey)).toEqual([...want].sort(byKey));
  for (const part of SECRET) expect(text).not.toContain(part);
  expect(text).not.toContain('3001-01-01');
  expect(want.some((r) => r.entity === 'Sales.Client' && r.key[0] === String(NUL_CLIENT))).toBe(true);
}

/** read = written + rejected + filtered, with the counts from source SQL, in all three outputs. */
async function expectCounts(runId: string, runJson: { entities: Counts[] }): Promise<void> {
  const report = JSON.parse(await readFile(join(fixture.dir, '.ferry', `${runId}.report.json`), 'utf8')) as {
    entities: Counts[];
    mapping: { entity: string; attribute: string; event: string; count: number }[];
  };
  const status = await cli('--json', 'status');
  expect(status.code, status.stderr).toBe(ExitCode.ok);
  const fromStatus = JSON.parse(status.stdout) as { state: string; entities: Counts[] };
  expect(fromStatus.state).toBe('completed');
  const rejects = await expectedRejects(fixture.source, table);
  for (const list of [report.entities, fromStatus.entities, runJson.entities]) {
    for (const e of list) expect(e.rowsRead, e.entity).toBe(e.rowsWritten + e.rowsRejected + e.rowsFiltered);
    for (const entity of ALL_SHAPES_ENTITIES) {
      const [rows] = (await fixture.source.raw(`SELECT count(*) AS n FROM \`${await table(entity)}\``)) as [
        { n: number }[],
      ];
      const rejected = rejects.filter((r) => r.entity === entity).length;
      const e = list.find((c) => c.entity === entity)!;
      expect([e.rowsRead, e.rowsWritten, e.rowsRejected, e.rowsFiltered], entity).toEqual([
        Number(rows[0]!.n),
        Number(rows[0]!.n) - rejected,
        rejected,
        0,
      ]);
    }
  }
  const tuples = (list: Counts[]) =>
    Object.fromEntries(
      list.map((e) => [e.entity, [e.rowsRead, e.rowsWritten, e.rowsRejected, e.rowsFiltered]]),
    );
  expect(tuples(fromStatus.entities)).toEqual(tuples(report.entities));
  expect(tuples(runJson.entities)).toEqual(tuples(report.entities));
  expect(tuples(report.entities)['Sales.Client#pass2']).toEqual(
    await expectedClientPass2(fixture.source, table),
  );
  // Ignore references to a missing or rejected parent are kept, and the report counts them.
  const kept = await expectedKept(fixture.source, table);
  expect(kept.notes).toBeGreaterThan(0);
  expect(kept.clients).toBeGreaterThan(0);
  const byEvent = (a: { entity: string }, b: { entity: string }) => a.entity.localeCompare(b.entity);
  expect([...report.mapping].sort(byEvent)).toEqual(
    [
      { entity: 'Sales.Note', attribute: 'AccountId', event: 'dangling-reference-kept', count: kept.notes },
      {
        // Set by the second pass of the cycle, so counted under its pipeline.
        entity: 'Sales.Client#pass2',
        attribute: 'MainInvoiceId',
        event: 'dangling-reference-kept',
        count: kept.clients,
      },
      {
        entity: 'Catalog.Product',
        attribute: 'CreatedBy',
        event: 'unmatched-user',
        count: await expectedUserReferences(fixture.source, table),
      },
    ].sort(byEvent),
  );
}

/** `ferry --json run` to exit 0, naming no text of the rejected client; its JSON result. */
async function runToCompletion(): Promise<{ entities: Counts[] }> {
  const result = await cli('--json', 'run');
  expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
  for (const part of SECRET) expect(result.stdout + result.stderr).not.toContain(part);
  return JSON.parse(result.stdout) as { entities: Counts[] };
}

/** The checks of a completed run: reject file, counts, rows. */
function loadedAsTheSourceSays(runId: () => string, runJson: () => { entities: Counts[] }): void {
  it('every rejected row is in the reject file with reason, entity, attribute and key, no value', async () => {
    await expectRejectFile(runId());
  });

  it('read = written + rejected + filtered per entity in the report, the --json result and status', async () => {
    await expectCounts(runId(), runJson());
  });

  it('every row not rejected equals its source row, column by column', async () => {
    expect(await sameRows(fixture, table, EMPTY_GUID)).toEqual([]);
  }, 300_000);
}

describe('issue 13: all seven shapes in one ≥200k-row migration into ODC-shaped tables', () => {
  let runJson: { entities: Counts[] };

  it('the source holds ≥200k rows in the entities to migrate', async () => {
    let total = 0;
    for (const entity of ALL_SHAPES_ENTITIES) {
      const [rows] = (await fixture.source.raw(`SELECT count(*) AS n FROM \`${await table(entity)}\``)) as [
        { n: number }[],
      ];
      total += Number(rows[0]!.n);
    }
    expect(total).toBeGreaterThanOrEqual(200_000);
  });

  it('run first refuses on the duplicate key and the short column (exit 3), writing nothing', async () => {
    const result = await cli('--json', 'run');
    expect(result.code, result.stderr).toBe(ExitCode.findings);
    const { status, findings } = JSON.parse(result.stdout) as {
      status: string;
      findings: Record<string, string>[];
    };
    expect(status).toBe('refused');
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'duplicate-key', entity: 'Sales.PriceRow', attribute: 'Code, N' }),
        expect.objectContaining({ kind: 'length', entity: 'Catalog.Product', attribute: 'SalesEmail' }),
      ]),
    );
    expect(findings).toHaveLength(2);
    const written = await fixture.target.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM ${fixture.targetSchema}.client)::int
            + (SELECT count(*) FROM ${fixture.targetSchema}.price_row)::int AS n`,
    );
    expect(written.rows[0]!.n).toBe(0);
  });

  it('after the user removes the twin row and widens the column, check passes and run completes', async () => {
    // The user resolves the duplicate in the source: one of the two identical rows goes.
    const price = await table('Sales.PriceRow');
    await fixture.source.raw(`DELETE FROM \`${price}\` WHERE CODE = 'C20' AND N = 20 LIMIT 1`);
    await fixture.target.query(
      `ALTER TABLE ${fixture.targetSchema}.product ALTER COLUMN sales_email TYPE varchar(250)`,
    );
    const check = await cli('check');
    expect(check.code, check.stdout + check.stderr).toBe(ExitCode.ok);
    runJson = await runToCompletion();
  }, 600_000);

  loadedAsTheSourceSays(
    () => String(fixture.config.runId),
    () => runJson,
  );

  it('the row comparison sees one changed target value (so the test above can fail)', async () => {
    const invoice = `${fixture.targetSchema}.invoice`;
    await fixture.target.query(`UPDATE ${invoice} SET amount = amount + 1 WHERE id = 1`);
    const problems = await sameRows(fixture, table, EMPTY_GUID);
    await fixture.target.query(`UPDATE ${invoice} SET amount = amount - 1 WHERE id = 1`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Sales\.Invoice: 119997 source rows, 119997 target rows; first difference/);
  }, 300_000);

  it.each([
    ['is_available', 'NOT is_available', 'NOT is_available'],
    ['launch_date', 'launch_date + 1', 'launch_date - 1'],
    ['created_on', `created_on + interval '1 millisecond'`, `created_on - interval '1 millisecond'`],
  ])(
    'the row comparison sees a changed product %s',
    async (column, change, undo) => {
      const product = `${fixture.targetSchema}.product`;
      await fixture.target.query(`UPDATE ${product} SET ${column} = ${change} WHERE id = 3`);
      const problems = await sameRows(fixture, table, EMPTY_GUID);
      await fixture.target.query(`UPDATE ${product} SET ${column} = ${undo} WHERE id = 3`);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Catalog\.Product: /);
    },
    300_000,
  );
});

// The same source (its duplicate already resolved) into tables Ferry creates.
describe('issue 13: all seven shapes in one ≥200k-row migration into tables Ferry creates', () => {
  const runId = () => `${String(fixture.config.runId)}-created`;
  let runJson: { entities: Counts[] };

  beforeAll(async () => {
    await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.targetSchema} CASCADE`);
    await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.stateSchema} CASCADE`);
    await fixture.writeConfig({ runId: runId(), users: { unmatched: 'empty-guid' } });
    runJson = await runToCompletion();
  }, 600_000);

  it('creates the mandatory reference of the cycle NOT NULL, the optional one nullable, Long Integer as bigint', async () => {
    const columns = await fixture.target.query<Record<string, string>>(
      `SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns
        WHERE table_schema = $1 AND column_name IN ('client_id', 'main_invoice_id', 'ledger_id')
        ORDER BY table_name, column_name`,
      [fixture.targetSchema],
    );
    expect(columns.rows).toEqual([
      { table_name: 'client', column_name: 'main_invoice_id', is_nullable: 'YES', data_type: 'integer' },
      { table_name: 'invoice', column_name: 'client_id', is_nullable: 'NO', data_type: 'integer' },
      { table_name: 'ledger_line', column_name: 'ledger_id', is_nullable: 'NO', data_type: 'bigint' },
    ]);
  });

  loadedAsTheSourceSays(runId, () => runJson);
});
