// `source.kind: "json"` end to end through the real `ferry` command: JSON export files (array and
// NDJSON) into an NDJSON target, into the fake ODC app (a real HTTP server; references land on the ids
// the app issued, a re-run writes nothing) and into PostgreSQL (verified); plus the errors a wrong
// config gets: no mapping file, a missing entity file, a command that needs another kind.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startFakeOdcServer, type FakeOdcServer } from '@ferry/adapters/http/testing';
import { ExitCode } from '../src/output/exit-codes.js';
import { PG_URL, configDir, ferry, finished, spawnFerry, suffix } from './cli-harness.js';

// Export files as an O11 table export would hold them: physical (upper-case) column names, 64-bit ids
// past 2^53, decimals wider than a double, emoji, NULLs, dates at the O11 limits. Written by hand so
// the numbers' text stays exact (JSON.stringify would round them).
const CUSTOMER_JSON = `[
  { "ID": 1, "NAME": "Ada Lovelace", "BALANCE": 12345678901234567.12345678, "ACTIVE": true, "JOINED": "2024-02-29T10:15:00" },
  { "ID": 2, "NAME": "Grace Hopper ✓", "BALANCE": 0.50, "ACTIVE": false, "JOINED": "1900-01-01T00:00:00" },
  { "ID": 3, "NAME": "Edsger 😀 Dijkstra", "BALANCE": -7.25, "ACTIVE": true, "JOINED": null }
]
`;
const ORDER_NDJSON = [
  '{"ID": 9007199254740993, "CUSTOMERID": 1, "TOTAL": 99.95, "ORDEREDON": "2024-02-29"}',
  '{"ID": 9007199254740994, "CUSTOMERID": 2, "TOTAL": 0.01, "ORDEREDON": "1900-01-01"}',
  '{"ID": 9007199254740995, "CUSTOMERID": 1, "TOTAL": 1000000.00, "ORDEREDON": "3000-12-31"}',
  '{"ID": 9007199254740996, "CUSTOMERID": 3, "TOTAL": 12, "ORDEREDON": "2024-03-01"}',
].join('\n');

/** The target rows the mapping must produce, written out by hand (not computed by the mapping code). */
const EXPECTED_CUSTOMERS = [
  {
    id: '1',
    name: 'Ada Lovelace',
    balance: '12345678901234567.12345678',
    active: true,
    joined: '2024-02-29T10:15:00Z',
  },
  { id: '2', name: 'Grace Hopper ✓', balance: '0.5', active: false, joined: '1900-01-01T00:00:00Z' },
  { id: '3', name: 'Edsger 😀 Dijkstra', balance: '-7.25', active: true, joined: null },
];
const EXPECTED_ORDERS = [
  { id: '9007199254740993', customer_id: '1', total: '99.95', ordered_on: '2024-02-29' },
  { id: '9007199254740994', customer_id: '2', total: '0.01', ordered_on: '1900-01-01' },
  { id: '9007199254740995', customer_id: '1', total: '1000000', ordered_on: '3000-12-31' },
  { id: '9007199254740996', customer_id: '3', total: '12', ordered_on: '2024-03-01' },
];

function mapping(odc: boolean): unknown {
  const target = (entity: string, table: string) =>
    odc ? { app: 'Sales', entity } : { schema: 'sales', table };
  return {
    version: 1,
    ...(odc ? { defaults: { identity: 'remap', naming: 'as-is' } } : {}),
    entities: [
      {
        source: { module: 'Sales', entity: 'Customer' },
        target: target('Customer', 'customer'),
        key: ['Id'],
        attributes: {
          Id: { type: 'rtLongInteger', mandatory: true, autoNumber: true },
          Name: { type: 'rtText', length: 100, mandatory: true },
          Balance: { type: 'rtDecimal', length: 37, decimals: 8 },
          Active: { type: 'rtBoolean' },
          Joined: { type: 'rtDateTime', emptyDefaults: 'keep' },
        },
      },
      {
        source: { module: 'Sales', entity: 'Order' },
        target: target('Order', 'order'),
        key: ['Id'],
        attributes: {
          Id: { type: 'rtLongInteger', mandatory: true, autoNumber: true },
          CustomerId: { type: 'rtLongInteger', reference: { kind: 'entity', entity: 'Sales.Customer' } },
          Total: { type: 'rtDecimal', length: 37, decimals: 8 },
          OrderedOn: { type: 'rtDate' },
        },
      },
    ],
  };
}

/** A folder with the export files, a mapping and a config. */
async function project(target: unknown, options: { odc?: boolean; mapping?: boolean } = {}): Promise<string> {
  const runId = `json-${suffix()}`;
  const dir = await configDir({
    runId,
    source: { kind: 'json', dir: 'export' },
    target,
    ...(options.mapping === false ? {} : { mapping: 'ferry.mapping.json' }),
    state: { kind: 'file', dir: '.ferry/state' },
  });
  await mkdir(join(dir, 'export'));
  await writeFile(join(dir, 'export', 'Sales.Customer.json'), CUSTOMER_JSON);
  await writeFile(join(dir, 'export', 'Sales.Order.ndjson'), `${ORDER_NDJSON}\n`);
  await writeFile(join(dir, 'ferry.mapping.json'), JSON.stringify(mapping(options.odc === true), null, 2));
  return dir;
}

const dirs: string[] = [];
async function tracked(dir: Promise<string>): Promise<string> {
  dirs.push(await dir);
  return dirs.at(-1)!;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function ndjsonRows(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('json → ndjson', () => {
  it('writes every mapped row once, resumable state, status and plan', async () => {
    const dir = await tracked(project({ kind: 'ndjson', dir: 'out' }));
    const plan = await ferry(['plan'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(ExitCode.ok);
    expect(plan.stdout).toContain(join('out', 'Sales.Order.ndjson'));

    const run = await ferry(['run'], { cwd: dir });
    expect(run.code, run.stderr + run.stdout).toBe(ExitCode.ok);
    expect(await ndjsonRows(join(dir, 'out', 'Sales.Customer.ndjson'))).toEqual(EXPECTED_CUSTOMERS);
    expect(await ndjsonRows(join(dir, 'out', 'Sales.Order.ndjson'))).toEqual(EXPECTED_ORDERS);

    const status = JSON.parse((await ferry(['--json', 'status'], { cwd: dir })).stdout) as {
      state: string;
      checkpoints: { entity: string; rowsWritten: number }[];
    };
    expect(status.state).toBe('completed');
    expect(status.checkpoints.map((c) => [c.entity, c.rowsWritten])).toEqual([
      ['Sales.Customer', 3],
      ['Sales.Order', 4],
    ]);

    // A second run of the same run id writes nothing more.
    const again = await ferry(['run'], { cwd: dir });
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect(again.stdout).toContain('was already complete');
    expect(await ndjsonRows(join(dir, 'out', 'Sales.Order.ndjson'))).toHaveLength(4);

    const verify = await ferry(['verify'], { cwd: dir });
    expect(verify.code).toBe(ExitCode.usage);
    expect(verify.stderr.trim()).toBe(
      'ferry: ferry verify needs target.kind "postgres"; this config has "ndjson" [FERRY_TARGET_KIND]',
    );
    const discover = await ferry(['discover'], { cwd: dir });
    expect(discover.code).toBe(ExitCode.usage);
    expect(discover.stderr).toContain('ferry discover needs source.kind "o11-sql"; this config has "json"');
  }, 120_000);
});

describe('json → ODC REST', () => {
  let server: FakeOdcServer;
  beforeAll(async () => {
    server = await startFakeOdcServer({
      token: 'cli-token',
      references: { Order: { CustomerId: 'Customer' } },
    });
  });
  afterAll(async () => server.close());

  it('upserts every record once, references on the app ids, a re-run writes nothing', async () => {
    const target = {
      kind: 'odc-rest',
      baseUrl: server.url,
      token: { env: 'FERRY_TEST_ODC_TOKEN' },
      maxRows: 2,
    };
    const dir = await tracked(project(target, { odc: true }));
    const env = { FERRY_TEST_ODC_TOKEN: 'cli-token' };
    const run = await ferry(['run'], { cwd: dir, env });
    expect(run.code, run.stderr + run.stdout).toBe(ExitCode.ok);

    const customers = server.rows('Customer');
    const orders = server.rows('Order');
    expect([...customers.keys()].sort()).toEqual(['1', '2', '3']);
    expect([...orders.keys()].sort()).toEqual(EXPECTED_ORDERS.map((o) => o.id));
    for (const expected of EXPECTED_CUSTOMERS) {
      const { id, ...attributes } = expected;
      const stored = customers.get(id)!;
      expect(stored.attributes).toEqual({
        Name: attributes.name,
        Balance: attributes.balance,
        Active: attributes.active,
        Joined: attributes.joined,
      });
    }
    for (const expected of EXPECTED_ORDERS) {
      const stored = orders.get(expected.id)!;
      expect(stored.attributes['CustomerId']).toBe(customers.get(expected.customer_id)!.id);
      expect(stored.attributes['Total']).toBe(expected.total);
      expect(stored.attributes['OrderedOn']).toBe(expected.ordered_on);
    }
    const ids = await readFile(join(dir, '.ferry/state', `${await runIdOf(dir)}.ids.jsonl`), 'utf8');
    expect(ids.trim().split('\n')).toHaveLength(7);

    const requests = server.log.entries.length;
    const again = await ferry(['run'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect(server.log.entries.length).toBe(requests);
    expect([...customers.values(), ...orders.values()].every((r) => r.writes === 1)).toBe(true);

    const unset = await ferry(['run'], { cwd: dir });
    expect(unset.code).toBe(ExitCode.usage);
    expect(unset.stderr).toContain('FERRY_TEST_ODC_TOKEN is not set');
  }, 120_000);
});

describe('json → ODC REST, requestsPerMinute across processes (issue 14, case 4)', () => {
  let server: FakeOdcServer;
  beforeAll(async () => {
    server = await startFakeOdcServer({ references: { Order: { CustomerId: 'Customer' } } });
  });
  afterAll(async () => server.close());

  it('spreads requests over the window and keeps the window when a killed run resumes', async () => {
    // 6 per minute: one request every 10 s, also from the next process after a SIGKILL.
    const target = { kind: 'odc-rest', baseUrl: server.url, maxRows: 2, requestsPerMinute: 6 };
    const dir = await tracked(project(target, { odc: true }));
    const child = spawnFerry(['run'], { cwd: dir });
    const done = finished(child);
    while (server.log.entries.length === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await done;
    const resumed = await ferry(['run'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(ExitCode.ok);
    const arrivals = server.log.entries.map((e) => e.at);
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThan(9_000);
  }, 180_000);
});

async function runIdOf(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, 'ferry.config.json'), 'utf8')) as { runId: string }).runId;
}

describe('json → PostgreSQL', () => {
  const schema = `ferry_cli_json_${suffix()}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema}_state CASCADE`);
    await pool.end();
  });

  it('loads every mapped row and verifies', async () => {
    const target = { kind: 'postgres', connection: { env: 'FERRY_TEST_TARGET' }, createTables: true, schema };
    const dir = await tracked(project(target));
    const config = JSON.parse(await readFile(join(dir, 'ferry.config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      join(dir, 'ferry.config.json'),
      JSON.stringify({ ...config, state: { kind: 'postgres', schema: `${schema}_state` } }),
    );
    const env = { FERRY_TEST_TARGET: PG_URL };
    const run = await ferry(['run'], { cwd: dir, env });
    expect(run.code, run.stderr + run.stdout).toBe(ExitCode.ok);
    const customers = await pool.query(
      `SELECT id::text, name, balance::text, active, to_char(joined, 'YYYY-MM-DD"T"HH24:MI:SS') AS joined FROM ${schema}.customer ORDER BY id`,
    );
    expect(customers.rows).toEqual(
      EXPECTED_CUSTOMERS.map((c) => ({
        ...c,
        balance: { '1': '12345678901234567.12345678', '2': '0.50000000', '3': '-7.25000000' }[c.id],
        joined: c.joined?.slice(0, 19) ?? null,
      })),
    );
    const orders = await pool.query(
      `SELECT id::text, customer_id::text, total::numeric(38,2)::text AS total, ordered_on::text FROM ${schema}."order" ORDER BY id`,
    );
    expect(orders.rows).toEqual(EXPECTED_ORDERS.map((o) => ({ ...o, total: Number(o.total).toFixed(2) })));
    const verify = await ferry(['verify'], { cwd: dir, env });
    expect(verify.code, verify.stderr + verify.stdout).toBe(ExitCode.ok);
    const check = await ferry(['check'], { cwd: dir, env });
    expect(check.code, check.stderr + check.stdout).toBe(ExitCode.ok);
  }, 120_000);
});

describe('json source errors', () => {
  it('needs a mapping file', async () => {
    const dir = await tracked(project({ kind: 'ndjson', dir: 'out' }, { mapping: false }));
    for (const command of ['run', 'plan']) {
      const result = await ferry([command], { cwd: dir });
      expect(result.code).toBe(ExitCode.usage);
      expect(result.stderr.trim()).toBe(
        'ferry: source.kind "json" needs a mapping file (config "mapping"): JSON files carry no O11 catalog to generate one from [FERRY_MAPPING_MISSING]',
      );
    }
  }, 60_000);

  it('names the entity and the files it looked for', async () => {
    const dir = await tracked(project({ kind: 'ndjson', dir: 'out' }));
    await rm(join(dir, 'export', 'Sales.Order.ndjson'));
    for (const command of ['run', 'check']) {
      const result = await ferry([command], { cwd: dir });
      expect(result.code, result.stderr).not.toBe(ExitCode.ok);
      expect(result.stderr).toContain(
        'Sales.Order: no export file: expected Sales.Order.json (array) or Sales.Order.ndjson in',
      );
      expect(result.stderr).toContain('FERRY_SOURCE_JSON_MISSING, entity Sales.Order]');
    }
  }, 60_000);
});
