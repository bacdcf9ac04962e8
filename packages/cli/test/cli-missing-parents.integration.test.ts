// Issue 13, cases 2 and 3 through the real `ferry run`, the same policy on the ODC REST sink and on
// PostgreSQL: customer 3 is rejected (a date past 3000-12-31); the orders of customer 3 and of
// customer 99 (never exported) reference it through Protect and are rejected with the parent's key
// in the reject file; notes reference customers 3 and 77 through Ignore and keep the ids, counted in
// the report. JSON export files as the source, so nothing but the target needs a database.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startFakeOdcServer, type FakeOdcServer } from '@ferry/adapters/http/testing';
import { ExitCode } from '../src/output/exit-codes.js';
import { PG_URL, configDir, ferry, suffix } from './cli-harness.js';

const CUSTOMERS = [
  '{"ID": 1, "NAME": "one", "JOINED": "2024-02-29T10:15:00"}',
  '{"ID": 2, "NAME": "two", "JOINED": "2020-01-01T00:00:00"}',
  '{"ID": 3, "NAME": "three", "JOINED": "3001-01-01T00:00:00"}',
];
const ORDERS = [
  '{"ID": 10, "CUSTOMERID": 1, "NUMBER": "A"}',
  '{"ID": 11, "CUSTOMERID": 3, "NUMBER": "B"}',
  '{"ID": 12, "CUSTOMERID": 99, "NUMBER": "C"}',
  '{"ID": 13, "CUSTOMERID": 2, "NUMBER": "D"}',
];
const NOTES = ['{"ID": 20, "CUSTOMERID": 1}', '{"ID": 21, "CUSTOMERID": 3}', '{"ID": 22, "CUSTOMERID": 77}'];
/** Written from the data above: the rows that must be rejected, with why. */
const EXPECTED_REJECTS = [
  { entity: 'Sales.Customer', key: ['3'], attribute: 'Joined', rule: 'date-range' },
  {
    entity: 'Sales.Order',
    key: ['11'],
    attribute: 'CustomerId',
    rule: 'dangling-reference',
    parent: { entity: 'Sales.Customer', key: ['3'] },
  },
  {
    entity: 'Sales.Order',
    key: ['12'],
    attribute: 'CustomerId',
    rule: 'dangling-reference',
    parent: { entity: 'Sales.Customer', key: ['99'] },
  },
];

function mapping(odc: boolean): unknown {
  const target = (entity: string, table: string) =>
    odc ? { app: 'Sales', entity } : { schema: 'sales', table };
  const id = { type: 'rtInteger', mandatory: true, autoNumber: true };
  const customer = (deleteRule: string, mandatory: boolean) => ({
    type: 'rtInteger',
    ...(mandatory ? { mandatory: true } : {}),
    reference: { kind: 'entity', entity: 'Sales.Customer', deleteRule },
  });
  return {
    version: 1,
    ...(odc ? { defaults: { naming: 'as-is' } } : {}),
    entities: [
      {
        source: { module: 'Sales', entity: 'Customer' },
        target: target('Customer', 'customer'),
        key: ['Id'],
        attributes: { Id: id, Name: { type: 'rtText', length: 20 }, Joined: { type: 'rtDateTime' } },
      },
      {
        source: { module: 'Sales', entity: 'Order' },
        target: target('Order', 'order'),
        key: ['Id'],
        attributes: { Id: id, CustomerId: customer('Protect', true), Number: { type: 'rtText', length: 5 } },
      },
      {
        source: { module: 'Sales', entity: 'Note' },
        target: target('Note', 'note'),
        key: ['Id'],
        attributes: { Id: id, CustomerId: customer('Ignore', false) },
      },
    ],
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(
  target: unknown,
  odc: boolean,
  stateSchema = '',
): Promise<{ dir: string; runId: string }> {
  const runId = `parents-${suffix()}`;
  const dir = await configDir({
    runId,
    source: { kind: 'json', dir: 'export' },
    target,
    mapping: 'ferry.mapping.json',
    state: odc ? { kind: 'file', dir: '.ferry/state' } : { kind: 'postgres', schema: stateSchema },
  });
  dirs.push(dir);
  await mkdir(join(dir, 'export'));
  await writeFile(join(dir, 'export', 'Sales.Customer.ndjson'), `${CUSTOMERS.join('\n')}\n`);
  await writeFile(join(dir, 'export', 'Sales.Order.ndjson'), `${ORDERS.join('\n')}\n`);
  await writeFile(join(dir, 'export', 'Sales.Note.ndjson'), `${NOTES.join('\n')}\n`);
  await writeFile(join(dir, 'ferry.mapping.json'), JSON.stringify(mapping(odc), null, 2));
  return { dir, runId };
}

/** Runs, then checks the exit code, counts, reject file and the kept-reference counter. */
async function runAndCheck(dir: string, runId: string, env: Record<string, string>): Promise<void> {
  const run = await ferry(['run'], { cwd: dir, env });
  expect(run.code, run.stderr + run.stdout).toBe(ExitCode.ok);
  const report = JSON.parse(await readFile(join(dir, '.ferry', `${runId}.report.json`), 'utf8')) as {
    entities: {
      entity: string;
      rowsRead: number;
      rowsWritten: number;
      rowsRejected: number;
      rowsFiltered: number;
    }[];
    mapping: { entity: string; attribute: string; event: string; count: number }[];
  };
  const counts = Object.fromEntries(
    report.entities.map((e) => [e.entity, [e.rowsRead, e.rowsWritten, e.rowsRejected, e.rowsFiltered]]),
  );
  expect(counts).toEqual({
    'Sales.Customer': [3, 2, 1, 0],
    'Sales.Order': [4, 2, 2, 0],
    'Sales.Note': [3, 3, 0, 0],
  });
  expect(report.mapping).toContainEqual({
    entity: 'Sales.Note',
    attribute: 'CustomerId',
    event: 'dangling-reference-kept',
    count: 2,
  });
  const lines = (await readFile(join(dir, '.ferry', `${runId}.rejects.ndjson`), 'utf8')).trim().split('\n');
  const rejects = lines.map((line) => {
    const { message: _m, ...record } = JSON.parse(line) as Record<string, unknown>;
    return record;
  });
  expect(rejects).toEqual(EXPECTED_REJECTS);
  expect(lines.join('\n')).not.toContain('three');
}

describe('missing and rejected parents through ferry run', () => {
  let server: FakeOdcServer;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  const schema = `ferry_cli_parents_${suffix()}`;
  beforeAll(async () => {
    server = await startFakeOdcServer({});
  });
  afterAll(async () => {
    await server.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema}_state CASCADE`);
    await pool.end();
  });

  it('into the ODC REST sink: children of rejected and missing parents rejected, Ignore kept', async () => {
    const { dir, runId } = await project({ kind: 'odc-rest', baseUrl: server.url, maxRows: 2 }, true);
    await runAndCheck(dir, runId, {});
    expect([...server.rows('Customer').keys()].sort()).toEqual(['1', '2']);
    expect([...server.rows('Order').keys()].sort()).toEqual(['10', '13']);
    const notes = server.rows('Note');
    expect(['20', '21', '22'].map((k) => String(notes.get(k)?.attributes['CustomerId']))).toEqual([
      '1',
      '3',
      '77',
    ]);
  }, 120_000);

  it('into PostgreSQL (tables Ferry creates): the same rows rejected, the same ids kept', async () => {
    const target = { kind: 'postgres', connection: { env: 'FERRY_TEST_TARGET' }, createTables: true, schema };
    const { dir, runId } = await project(target, false, `${schema}_state`);
    await runAndCheck(dir, runId, { FERRY_TEST_TARGET: PG_URL });
    const rows = async (table: string, columns: string) =>
      (await pool.query(`SELECT ${columns} FROM ${schema}."${table}" AS t ORDER BY t.id`)).rows as unknown[];
    expect(await rows('customer', 'id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await rows('order', 'id, customer_id')).toEqual([
      { id: 10, customer_id: 1 },
      { id: 13, customer_id: 2 },
    ]);
    expect(await rows('note', 'id, customer_id')).toEqual([
      { id: 20, customer_id: 1 },
      { id: 21, customer_id: 3 },
      { id: 22, customer_id: 77 },
    ]);
  }, 120_000);
});
