// Issue 13, case 4, through the commands: Sales.PriceRow is keyed by hand (["Code", "N"]) and the
// source holds one row twice. `check` and `assess` report it before anything is written; `run` refuses
// (exit 3 on its check; exit 1, FERRY_DUPLICATE_KEY, with --skip-check) and writes no row, instead of
// losing the twin or failing half-way on the primary key.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { openDuplicateKeyFixture } from './duplicate-key-fixture.js';
import { ferry, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openDuplicateKeyFixture(10, { batchSize: 1 });
}, 120_000);
afterAll(async () => fixture?.drop());

describe('a key held by two source rows', () => {
  it('check reports it (exit 3)', async () => {
    const result = await cli('--json', 'check', '-e', 'Sales.PriceRow');
    expect(result.code, result.stderr).toBe(ExitCode.findings);
    const { findings } = JSON.parse(result.stdout) as { findings: Record<string, string>[] };
    expect(findings).toContainEqual({
      kind: 'duplicate-key',
      entity: 'Sales.PriceRow',
      attribute: 'Code, N',
      expected: 'unique key',
      actual: '1 key value(s) held by 2 rows',
    });
  });

  it('assess reports it (exit 3)', async () => {
    const result = await cli('--json', 'assess', '-e', 'Sales.PriceRow');
    expect(result.code, result.stderr).toBe(ExitCode.findings);
    const { findings } = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    expect(findings).toContainEqual(
      expect.objectContaining({ check: 'duplicate-key', entity: 'Sales.PriceRow', rows: 2 }),
    );
  });

  it('run refuses it on the check (exit 3), and with --skip-check on its own (exit 1); writes nothing', async () => {
    const checked = await cli('run', '-e', 'Sales.PriceRow');
    expect(checked.code, checked.stdout).toBe(ExitCode.findings);
    expect(checked.stdout).toContain('duplicate-key');
    expect(checked.stderr).toContain('Run refused');
    const result = await cli('run', '--skip-check', '-e', 'Sales.PriceRow');
    expect(result.code, result.stdout).toBe(ExitCode.failed);
    expect(result.stderr).toContain('FERRY_DUPLICATE_KEY');
    expect(result.stderr).toContain('Sales.PriceRow: 1 value(s) of its key (Code, N)');
    const tables = await fixture.target.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
      [fixture.targetSchema],
    );
    expect(tables.rows[0].n).toBe(0);
  });
});
