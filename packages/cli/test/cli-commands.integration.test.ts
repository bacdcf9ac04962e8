// Every command's happy path through the real `ferry`, O11 sample on MariaDB → PostgreSQL (COPY with
// the PostgreSQL state store): discover, assess, plan, run, status, check, verify (and it catching one
// changed row), a re-run that writes nothing, reset. Target rows are compared with the source by SQL
// on both sides and, for every entity, with the fixture generators' rows (not through the mapping code).

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  checkTarget,
  ferry,
  openFixture,
  physicalTable,
  sampleEntityEqual,
  type Fixture,
} from './cli-harness.js';

let fixture: Fixture;
const run = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const json = <T>(text: string): T => JSON.parse(text) as T;

beforeAll(async () => {
  fixture = await openFixture(300);
});
afterAll(async () => fixture.drop());

describe.sequential('ferry on MariaDB → PostgreSQL', () => {
  it('discover writes a starter mapping and refuses to overwrite it', async () => {
    const first = await run('discover');
    expect(first.code, first.stderr).toBe(ExitCode.ok);
    expect(first.stdout).toContain('Sales.Order');
    const mapping = json<{ entities: { name: string }[] }>(
      await readFile(join(fixture.dir, 'ferry.mapping.json'), 'utf8'),
    );
    expect(mapping.entities.map((e) => e.name)).toEqual(
      expect.arrayContaining(['Catalog.Category', 'Catalog.Product', 'Sales.Order', 'Sales.OrderLine']),
    );
    const second = await run('discover');
    expect(second.code).toBe(ExitCode.usage);
    expect(second.stderr).toContain('--force');
  });

  it("assess reports the sample's deleted static references with exit 3", async () => {
    const result = await run('--json', 'assess');
    expect(result.code, result.stderr).toBe(ExitCode.findings);
    const report = json<{ findings: { check: string; entity?: string; attribute?: string; rows: number }[] }>(
      result.stdout,
    );
    const deleted = report.findings.find((f) => f.check === 'deleted-static-reference');
    const [[expected]] = (await fixture.source.raw(
      `SELECT COUNT(*) AS n FROM ${await orderTable()} WHERE STATUSID IN (SELECT DATA_ID FROM OSSYS_ENTITY_RECORD WHERE IS_ACTIVE = 0)`,
    )) as [[{ n: number }]];
    expect(deleted).toMatchObject({ entity: 'Sales.Order', attribute: 'StatusId', rows: Number(expected.n) });
  });

  it('plan lists entities in dependency order with the deferred pass, writing nothing', async () => {
    const result = await run('--json', 'plan');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const steps = json<{ steps: { entity: string; pass: number; estimatedRows?: number }[] }>(
      result.stdout,
    ).steps;
    const names = steps.map((s) => s.entity);
    expect(names.indexOf('Sales.Order')).toBeLessThan(names.indexOf('Sales.OrderLine'));
    expect(steps.find((s) => s.entity === 'Catalog.Category#pass2')?.pass).toBe(2);
    expect(steps.find((s) => s.entity === 'Sales.Order')?.estimatedRows).toBeGreaterThan(0);
    const tables = await fixture.target.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1`,
      [fixture.targetSchema],
    );
    expect(tables.rowCount).toBe(0);
  });

  it('run migrates every entity, writes the report, rejects only orders of deleted statuses', async () => {
    const result = await run('run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/total\s+completed/);
    const report = json<{
      status: string;
      entities: { entity: string; rowsWritten: number; rowsRejected: number }[];
      rejectsFile?: string;
    }>(await readFile(join(fixture.dir, '.ferry', `${String(fixture.config.runId)}.report.json`), 'utf8'));
    expect(report.status).toBe('completed');
    const product = report.entities.find((e) => e.entity === 'Catalog.Product')!;
    const { rows } = await fixture.target.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${fixture.targetSchema}.product`,
    );
    expect(Number(rows[0]!.n)).toBe(product.rowsWritten);
    const [[source]] = (await fixture.source.raw(`SELECT COUNT(*) AS n FROM ${await productTable()}`)) as [
      [{ n: number }],
    ];
    expect(product.rowsWritten).toBe(Number(source.n));
    // The sample's only rejects: orders whose mandatory static StatusId names a deleted record, and
    // their lines (OrderId has the Delete rule), counted here with SQL on the source.
    const deleted = `SELECT o.ID FROM ${await physical('Order')} o
      WHERE o.STATUSID IN (SELECT DATA_ID FROM OSSYS_ENTITY_RECORD WHERE IS_ACTIVE = 0)`;
    const [[orders]] = (await fixture.source.raw(`SELECT COUNT(*) AS n FROM (${deleted}) d`)) as [
      [{ n: number }],
    ];
    const [[lines]] = (await fixture.source.raw(
      `SELECT COUNT(*) AS n FROM ${await physical('OrderLine')} WHERE ORDERID IN (${deleted})`,
    )) as [[{ n: number }]];
    expect(Number(orders.n)).toBeGreaterThan(0);
    expect(
      report.entities.filter((e) => e.rowsRejected !== 0).map((e) => [e.entity, e.rowsRejected]),
    ).toEqual([
      ['Sales.Order', Number(orders.n)],
      ['Sales.OrderLine', Number(lines.n)],
    ]);
    expect(report.rejectsFile).toBeDefined();
    // stderr is not a TTY here: plain progress lines, no ANSI escapes.
    expect(result.stderr).toContain('Sales.Order: completed');
    expect(result.stderr + result.stdout).not.toContain('\u001b[');
  });

  it('the target holds the source values (SQL on both sides, not the mapping code)', async () => {
    // Exact text on both sides: MariaDB DECIMAL and PostgreSQL numeric keep their declared scale.
    const [source] = (await fixture.source.raw(
      `SELECT CAST(ID AS CHAR) AS id, NAME AS name, CAST(PRICE AS CHAR) AS price, CAST(WEIGHT AS CHAR) AS weight
       FROM ${await productTable()} p ORDER BY p.ID`,
    )) as [{ id: string; name: string; price: string; weight: string }[]];
    const { rows: target } = await fixture.target.query<{
      id: string;
      name: string;
      price: string;
      weight: string;
    }>(
      `SELECT id::text AS id, name, price::text AS price, weight::text AS weight
       FROM ${fixture.targetSchema}.product ORDER BY product.id`,
    );
    expect(source.length).toBeGreaterThan(0);
    expect(source.some((row) => /\.\d{6}[1-9]/.test(row.price))).toBe(true); // digits past the 6th
    // The first differing row only, so a failure prints two rows rather than 300.
    const first = source.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(target[i]));
    expect(target.length).toBe(source.length);
    expect({ row: first, source: source[first], target: target[first] }).toEqual({ row: -1 });
  });

  it('every target row equals its generated source row, by key (independent of the mapping code)', async () => {
    const checks = await checkTarget(fixture);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
  });

  it('status shows every checkpoint completed', async () => {
    const result = await run('--json', 'status');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const status = json<{ state: string; checkpoints: { entity: string; status: string }[] }>(result.stdout);
    expect(status.state).toBe('completed');
    expect(status.checkpoints.map((c) => c.entity)).toContain('Catalog.Category#pass2');
  });

  it('check passes on the tables the run created', async () => {
    const result = await run('check');
    expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toContain('Model check passed');
  });

  it('verify matches, then catches one changed row and names its key', async () => {
    const ok = await run('verify');
    expect(ok.code, ok.stdout + ok.stderr).toBe(ExitCode.ok);
    const { rows } = await fixture.target.query<{ id: string }>(
      `SELECT id::text FROM ${fixture.targetSchema}.product ORDER BY id LIMIT 1 OFFSET 7`,
    );
    const id = rows[0]!.id;
    await fixture.target.query(
      `UPDATE ${fixture.targetSchema}.product SET name = name || 'x' WHERE id = $1`,
      [id],
    );
    const bad = await run('--json', 'verify');
    expect(bad.code).toBe(ExitCode.findings);
    const report = json<{
      ok: boolean;
      entities: { entity: string; ok: boolean; differences?: { changed: string[][] } }[];
    }>(bad.stdout);
    expect(report.ok).toBe(false);
    expect(report.entities.filter((e) => !e.ok).map((e) => e.entity)).toEqual(['Catalog.Product']);
    expect(report.entities.find((e) => !e.ok)?.differences?.changed).toEqual([[id]]);
  });

  it('a second run writes nothing (already complete)', async () => {
    const result = await run('run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toContain('already complete');
  });

  it('reset needs --yes, then forgets the run', async () => {
    expect((await run('reset')).code).toBe(ExitCode.usage);
    const result = await run('reset', '--yes');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const status = json<{ state: string }>((await run('--json', 'status')).stdout);
    expect(status.state).toBe('not started');
    expect(existsSync(join(fixture.dir, 'ferry.mapping.json'))).toBe(true);
  });
});

const physical = (entity: string): Promise<string> => physicalTable(fixture.source, entity);
const orderTable = () => physical('Order');
const productTable = () => physical('Product');
