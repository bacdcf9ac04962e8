// Issue 14, case 6 through the real command: with no `rejects` thresholds configured, an entity whose
// every row is rejected must not end as "completed". Sales.Order's Number is mapped to a one-character
// column (created so by Ferry, so `check` agrees), which rejects every order: `run` fails that entity
// with FERRY_REJECT_ALL and a non-zero exit, and the report counts the rows as rejected, not written.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openFixture(60);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as {
    entities: { name: string; attributes: Record<string, { targetLength?: number }> }[];
  };
  mapping.entities.find((e) => e.name === 'Sales.Order')!.attributes['Number']!.targetLength = 1;
  await writeFile(path, JSON.stringify(mapping, null, 2));
}, 240_000);
afterAll(async () => fixture.drop());

interface EntityCounts {
  readonly entity: string;
  readonly status: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
}

it('every row of an entity rejected: the run fails (FERRY_REJECT_ALL), nothing counted as written', async () => {
  const table = await physicalTable(fixture.source, 'Order');
  const [[{ n }]] = (await fixture.source.raw(`SELECT COUNT(*) AS n FROM ${table}`)) as [[{ n: number }]];
  expect(Number(n)).toBeGreaterThan(0);

  const run = await cli('--json', 'run');
  expect(run.code, run.stderr).not.toBe(ExitCode.ok);
  expect(run.stderr).toContain('FERRY_REJECT_ALL');
  expect(run.stderr).toContain('Sales.Order');

  const result = JSON.parse(run.stdout) as { status: string; entities: EntityCounts[] };
  expect(result.status).not.toBe('completed');
  const order = result.entities.find((e) => e.entity === 'Sales.Order')!;
  expect(order.status).toBe('failed');
  expect([order.rowsRead, order.rowsWritten, order.rowsRejected]).toEqual([Number(n), 0, Number(n)]);
  const [[target]] = [
    (await fixture.target.query(`SELECT count(*)::int AS n FROM "${fixture.targetSchema}"."order"`)).rows,
  ] as [[{ n: number }]];
  expect(target.n).toBe(0);

  const status = await cli('status');
  expect(status.stdout).not.toMatch(/: completed\./);
  // `status` gives the same way on as `run`, not "to resume" (issue 14 verification).
  expect(status.stdout + status.stderr).toContain(
    '`ferry reset --yes` and `ferry run` read the rejected rows again',
  );
  expect(status.stdout + status.stderr).not.toContain('to resume');

  // The message and the last line agree (issue 14): the rejected rows are checkpointed, so the way on
  // is a reset, never "`ferry run` resumes".
  const again = await cli('run');
  expect(again.code, again.stderr).not.toBe(ExitCode.ok);
  expect(again.stderr).toContain('fix the mapping and reset the run');
  expect(again.stdout).toContain('`ferry reset --yes` and `ferry run` read the rejected rows again');
  expect(again.stdout).not.toContain('resumes');
}, 240_000);
