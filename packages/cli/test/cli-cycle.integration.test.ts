// Issue 13, case 1, through the commands: a cycle made only of mandatory references cannot be loaded
// (no row can be written first), so `check` and `plan` refuse it before anything is written, naming
// the references of the cycle and what to change. Here Category.ParentId is edited to mandatory (a
// self reference, MariaDB source); then a cycle of two entities from MariaDB and PostgreSQL sources.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleShape } from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  ferry,
  openFixture,
  PG_URL,
  type CliResult,
  type Fixture,
  type SourceEngine,
} from './cli-harness.js';

/** Refused before anything is written (exit 2), naming `parts` of the cycle and the way out. */
function expectRefused(result: CliResult, parts: readonly string[]): void {
  expect(result.code, result.stdout).toBe(ExitCode.usage);
  for (const part of parts) expect(result.stderr).toContain(part);
  expect(result.stderr).toContain('"mandatory": false');
  expect(result.stderr).toContain('FERRY_MANDATORY_CYCLE');
}

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openFixture(10);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as {
    entities: { name: string; attributes: Record<string, { mandatory?: boolean }> }[];
  };
  mapping.entities.find((e) => e.name === 'Catalog.Category')!.attributes['ParentId']!.mandatory = true;
  await writeFile(path, JSON.stringify(mapping, null, 2));
}, 120_000);
afterAll(async () => fixture?.drop());

describe('a cycle of mandatory references', () => {
  it.each([['check'], ['plan'], ['run']])(
    '%s refuses it, naming the cycle and the way out',
    async (command) =>
      expectRefused(await cli(command), ['Catalog.Category.ParentId → Catalog.Category form a cycle']),
  );

  it('writes nothing', async () => {
    const tables = await fixture.target.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
      [fixture.targetSchema],
    );
    expect(tables.rows[0].n).toBe(0);
  });
});

/**
 * Two entities whose references to each other are both mandatory (Invoice.ClientId, and
 * Client.MainInvoiceId edited to mandatory), from a MariaDB and a PostgreSQL O11 source, into tables
 * Ferry would create and into tables written as the ODC app has them (NOT NULL, foreign keys both ways).
 */
describe.each<[SourceEngine, boolean]>([
  ['mariadb', true],
  ['mariadb', false],
  ['postgres', true],
  ['postgres', false],
])('a two-entity cycle of mandatory references (%s source, createTables %s)', (engine, createTables) => {
  let two: Fixture;
  const run = (...args: string[]) => ferry(args, { cwd: two.dir, env: two.env });

  beforeAll(async () => {
    two = await openFixture(10, {}, { extra: cycleShape }, PG_URL, engine);
    const s = two.targetSchema;
    if (!createTables) {
      await two.target.query(`CREATE SCHEMA ${s};
        CREATE TABLE ${s}.client (id integer PRIMARY KEY, name varchar(50) NOT NULL,
          main_invoice_id integer NOT NULL);
        CREATE TABLE ${s}.invoice (id integer PRIMARY KEY, number varchar(20) NOT NULL,
          client_id integer NOT NULL REFERENCES ${s}.client (id), amount numeric(37,8));
        ALTER TABLE ${s}.client ADD FOREIGN KEY (main_invoice_id) REFERENCES ${s}.invoice (id);`);
      await two.writeConfig({ target: { ...(two.config.target as object), createTables: false } });
    }
    expect((await run('discover')).code).toBe(ExitCode.ok);
    const path = join(two.dir, 'ferry.mapping.json');
    const mapping = JSON.parse(await readFile(path, 'utf8')) as {
      entities: { name: string; attributes: Record<string, { mandatory?: boolean }> }[];
    };
    mapping.entities = mapping.entities.filter(
      (e) => e.name === 'Sales.Client' || e.name === 'Sales.Invoice',
    );
    const client = mapping.entities.find((e) => e.name === 'Sales.Client')!;
    expect(client.attributes['MainInvoiceId']!.mandatory).not.toBe(true);
    client.attributes['MainInvoiceId']!.mandatory = true;
    await writeFile(path, JSON.stringify(mapping, null, 2));
  }, 120_000);
  afterAll(async () => two?.drop());

  it.each([['check'], ['plan'], ['run']])(
    '%s refuses it, naming both references and the way out',
    async (command) =>
      expectRefused(await run(command), [
        'Sales.Client.MainInvoiceId → Sales.Invoice',
        'Sales.Invoice.ClientId → Sales.Client',
        'form a cycle',
      ]),
  );

  it('writes nothing', async () => {
    const tables = await two.target.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [two.targetSchema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(createTables ? [] : ['client', 'invoice']);
    if (!createTables) {
      const rows = await two.target.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM ${two.targetSchema}.client)::int
              + (SELECT count(*) FROM ${two.targetSchema}.invoice)::int AS n`,
      );
      expect(rows.rows[0]!.n).toBe(0);
    }
  });
});
