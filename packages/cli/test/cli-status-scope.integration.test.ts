// `ferry status -e`: a run scoped with `run -e X` is complete for X. Without `-e`, status compares
// with the whole plan (the entities the scoped run left out are not started: interrupted); with the
// same `-e` as the run, the plan is X and its second pass only, and the state is completed. The run is
// not the config's own (`--run night`), so the advice to resume names it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, type Fixture } from './cli-harness.js';

interface Status {
  state: string;
  entities: { entity: string; status: string; rowsRead: number; rowsWritten: number }[];
  checkpoints: { entity: string }[];
  notStarted: string[];
}

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const status = async (...args: string[]): Promise<Status> => {
  const result = await cli('--json', 'status', '--run', 'night', ...args);
  expect(result.code, result.stderr).toBe(ExitCode.ok);
  return JSON.parse(result.stdout) as Status;
};

beforeAll(async () => {
  fixture = await openFixture(10);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const run = await cli('run', '--run', 'night', '-e', 'Catalog.Category');
  expect(run.code, run.stderr).toBe(ExitCode.ok);
}, 120_000);
afterAll(async () => fixture?.drop());

describe('status -e', () => {
  it('without -e: the whole plan, the rest not started, interrupted', async () => {
    const all = await status();
    expect(all.state).toBe('interrupted');
    expect(all.notStarted).toContain('Sales.Order');
    expect(all.notStarted).not.toContain('Catalog.Category');
    // Regression (issue 14 verification): the advice said `ferry run`, which resumes the config's run.
    const text = await cli('status', '--run', 'night');
    expect(text.stdout + text.stderr).toContain('Run `ferry run --run night` to resume run night.');
  });

  it('with the run scope: completed, only that entity and its second pass', async () => {
    const scoped = await status('-e', 'Catalog.Category');
    expect(scoped.state).toBe('completed');
    expect(scoped.notStarted).toEqual([]);
    expect(scoped.entities.map((e) => [e.entity, e.status])).toEqual([
      ['Catalog.Category', 'completed'],
      ['Catalog.Category#pass2', 'completed'],
    ]);
    const [rows] = (await fixture.source.raw(
      `SELECT count(*) AS n FROM \`${await physicalTable(fixture.source, 'Category')}\``,
    )) as [{ n: number }[]];
    expect(scoped.entities[0]!.rowsWritten).toBe(Number(rows[0]!.n));
    const text = await cli('status', '--run', 'night', '-e', 'Catalog.Category');
    expect(text.stdout).toContain('completed.');
    expect(text.stdout + text.stderr).not.toContain('to resume');
  });

  it('another entity of the plan: not started; an unknown one: a usage error', async () => {
    const other = await status('-e', 'Sales.Order');
    expect(other.state).toBe('not started');
    expect(other.checkpoints).toEqual([]);
    expect((await cli('status', '--run', 'night', '-e', 'Sales.Nope')).code).toBe(ExitCode.usage);
  });
});
