// Issue 13, case 1, through the commands: a cycle made only of mandatory references cannot be loaded
// (no row can be written first), so `check` and `plan` refuse it before anything is written, naming
// the references of the cycle and what to change. Here Category.ParentId is edited to mandatory.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

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
    async (command) => {
      const result = await cli(command);
      expect(result.code, result.stdout).toBe(ExitCode.usage);
      expect(result.stderr).toContain('Catalog.Category.ParentId → Catalog.Category form a cycle');
      expect(result.stderr).toContain('"mandatory": false');
      expect(result.stderr).toContain('FERRY_MANDATORY_CYCLE');
    },
  );

  it('writes nothing', async () => {
    const tables = await fixture.target.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
      [fixture.targetSchema],
    );
    expect(tables.rows[0].n).toBe(0);
  });
});
