// `ferry check` finds each class of data model inconsistency, through the real command: the run creates
// the target tables from the mapping, then each table is altered in one way and check must name the
// entity, attribute and kind of each difference (and the source-side one from an edited mapping).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

interface Finding {
  kind: string;
  entity: string;
  attribute?: string;
  expected: string;
  actual: string;
}

let findings: Finding[] = [];
let exitCode: number | null = null;

beforeAll(async () => {
  fixture = await openFixture(40);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const created = await cli('run');
  expect(created.code, created.stderr).toBe(ExitCode.ok);
  const clean = await cli('check');
  expect(clean.code, clean.stdout).toBe(ExitCode.ok);
  const s = fixture.targetSchema;
  for (const sql of [
    `ALTER TABLE ${s}.tag DROP COLUMN label`,
    `ALTER TABLE ${s}.product ALTER COLUMN is_available TYPE integer USING is_available::int`,
    `ALTER TABLE ${s}.product ALTER COLUMN name TYPE varchar(100)`,
    `ALTER TABLE ${s}.product ALTER COLUMN weight TYPE numeric(12,2)`,
    `ALTER TABLE ${s}."order" ALTER COLUMN number DROP NOT NULL`,
    `ALTER TABLE ${s}."order" ALTER COLUMN customer_name SET NOT NULL`,
    `ALTER TABLE ${s}.order_line ADD CONSTRAINT wrong_fk FOREIGN KEY (product_id) REFERENCES ${s}.tag (id) NOT VALID`,
    `ALTER TABLE ${s}.order_line ADD CONSTRAINT right_fk FOREIGN KEY (order_id) REFERENCES ${s}."order" (id) NOT VALID`,
    `DROP TABLE ${s}.category`,
  ]) {
    await fixture.target.query(sql);
  }
  // Source side: the mapping claims Notes is Text(1000); the O11 catalog says 2000.
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as {
    entities: { name: string; attributes: Record<string, { length?: number }> }[];
  };
  mapping.entities.find((e) => e.name === 'Sales.Order')!.attributes['Notes']!.length = 1000;
  await writeFile(path, JSON.stringify(mapping, null, 2));
  // Without createTables a missing table is an inconsistency, not something run would create.
  await fixture.writeConfig({ target: { ...(fixture.config.target as object), createTables: false } });
  const result = await cli('--json', 'check');
  exitCode = result.code;
  findings = (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
}, 240_000);
afterAll(async () => fixture.drop());

describe('ferry check finds each inconsistency class', () => {
  it('exits 3', () => {
    expect(exitCode).toBe(ExitCode.findings);
  });

  it.each([
    ['missing-table', 'Catalog.Category', undefined, 'does not exist'],
    ['missing-column', 'Catalog.Tag', 'Label', 'does not exist'],
    ['type', 'Catalog.Product', 'IsAvailable', 'integer'],
    ['length', 'Catalog.Product', 'Name', 'varchar(100)'],
    ['precision', 'Catalog.Product', 'Weight', 'numeric(12,2)'],
    ['mandatory', 'Sales.Order', 'Number', 'nullable'],
    ['mandatory', 'Sales.Order', 'CustomerName', 'NOT NULL'],
    ['reference', 'Sales.OrderLine', 'ProductId', 'tag'],
    ['source-length', 'Sales.Order', 'Notes', '2000'],
  ])('%s on %s.%s', (kind, entity, attribute, actual) => {
    const found = findings.filter((f) => f.kind === kind && f.entity === entity && f.attribute === attribute);
    expect(found, JSON.stringify(findings, null, 2)).toHaveLength(1);
    expect(found[0]!.actual).toContain(actual);
  });

  it('reports nothing else (a right foreign key is no finding)', () => {
    // Notes also differs on the target side (the edited mapping derives varchar(1000)).
    expect(findings.map((f) => `${f.kind}:${f.entity}.${f.attribute ?? ''}`).sort()).toEqual(
      [
        'length:Catalog.Product.Name',
        'length:Sales.Order.Notes',
        'mandatory:Sales.Order.CustomerName',
        'mandatory:Sales.Order.Number',
        'missing-column:Catalog.Tag.Label',
        'missing-table:Catalog.Category.',
        'precision:Catalog.Product.Weight',
        'reference:Sales.OrderLine.ProductId',
        'source-length:Sales.Order.Notes',
        'type:Catalog.Product.IsAvailable',
      ].sort(),
    );
  });
});
