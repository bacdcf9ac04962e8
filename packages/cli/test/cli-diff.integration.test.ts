// `ferry diff` through the real command, O11 sample on MariaDB → PostgreSQL: equal after a run (exit
// 0, orders the mapping rejects are no difference), then one changed target row named in the table, in
// `--json` and in the `--keys-file` NDJSON, with exit 3; `-e` limits it to one entity.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const run = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openFixture(200);
}, 120_000);
afterAll(async () => fixture.drop());

describe.sequential('ferry diff on MariaDB → PostgreSQL', () => {
  it('after a run every entity is equal (rejected orders are no difference)', async () => {
    expect((await run('discover')).code).toBe(ExitCode.ok);
    const ran = await run('run');
    expect(ran.code, ran.stderr).toBe(ExitCode.ok);
    const result = await run('diff');
    expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/Sales\.Order\s.*equal/);
    expect(result.stdout).toContain('Equal:');
  });

  it('a changed target row is named in the table, the JSON and the keys file, with exit 3', async () => {
    const { rows } = await fixture.target.query<{ id: string }>(
      `SELECT id::text FROM ${fixture.targetSchema}.product ORDER BY id LIMIT 1 OFFSET 11`,
    );
    const id = rows[0]!.id;
    await fixture.target.query(
      `UPDATE ${fixture.targetSchema}.product SET name = name || 'x' WHERE id = $1`,
      [id],
    );
    const text = await run('diff');
    expect(text.code).toBe(ExitCode.findings);
    expect(text.stdout).toMatch(/Catalog\.Product\s.*DIFFERENT/);
    expect(text.stdout).toContain(`Catalog.Product changed: ${id}`);
    const json = await run('--json', 'diff', '--keys-file', 'keys.ndjson');
    expect(json.code).toBe(ExitCode.findings);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      entities: { entity: string; changed: string[][] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.entities.filter((e) => e.changed.length > 0).map((e) => [e.entity, e.changed])).toEqual([
      ['Catalog.Product', [[id]]],
    ]);
    const lines = (await readFile(join(fixture.dir, 'keys.ndjson'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { entity: 'Catalog.Product', kind: 'changed', key: [id] },
    ]);
  });

  it('-e limits the diff to the entities named', async () => {
    const result = await run('--json', 'diff', '-e', 'Sales.Order');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = JSON.parse(result.stdout) as { entities: { entity: string }[] };
    expect(report.entities.map((e) => e.entity)).toEqual(['Sales.Order']);
  });
});
