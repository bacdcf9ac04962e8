// `partitions` through the real `ferry`, O11 sample on MariaDB → PostgreSQL (COPY, PostgreSQL state):
// run splits Sales.Order into 3 key ranges and the rest into 2, the report and `status` show one line
// per entity with its ranges under it, and every target row equals the fixture generators' row (and
// `verify` agrees).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { checkTarget, ferry, openFixture, sampleEntityEqual, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const run = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

interface Line {
  entity: string;
  status: string;
  rowsWritten: number;
  partitions?: Line[];
}

beforeAll(async () => {
  fixture = await openFixture(200, {
    partitions: { default: 2, entities: { 'Sales.Order': 3 } },
    concurrency: 4,
  });
});
afterAll(async () => fixture.drop());

describe.sequential('ferry run with partitions', () => {
  it('runs every entity as its key ranges; the report folds them per entity', async () => {
    expect((await run('discover')).code).toBe(ExitCode.ok);
    const result = await run('run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/ {2}Sales\.Order\[3\/3\]/);
    const report = JSON.parse(
      await readFile(join(fixture.dir, '.ferry', `${String(fixture.config.runId)}.report.json`), 'utf8'),
    ) as { entities: Line[] };
    const order = report.entities.find((e) => e.entity === 'Sales.Order')!;
    expect(order.status).toBe('completed');
    expect(order.partitions!.map((p) => p.entity)).toEqual([
      'Sales.Order[1/3]',
      'Sales.Order[2/3]',
      'Sales.Order[3/3]',
    ]);
    expect(order.rowsWritten).toBe(order.partitions!.reduce((sum, p) => sum + p.rowsWritten, 0));
    expect(report.entities.find((e) => e.entity === 'Catalog.Category#pass2')?.partitions).toHaveLength(2);
  });

  it('status shows each entity completed with its ranges, never the stored layouts', async () => {
    const result = await run('--json', 'status');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const status = JSON.parse(result.stdout) as { state: string; entities: Line[] };
    expect(status.state).toBe('completed');
    expect(status.entities.map((e) => e.entity)).toContain('Sales.Order');
    expect(status.entities.every((e) => !e.entity.endsWith('[partitions]'))).toBe(true);
  });

  it('every target row equals its generated source row, by key, and verify agrees', async () => {
    const checks = await checkTarget(fixture);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
    const result = await run('verify');
    expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
  });
});
