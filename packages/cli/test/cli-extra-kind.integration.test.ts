// Issue 15's acceptance for kinds: a target kind registered from a test folder (kinds/jsonl-target,
// registered by kinds/ferry-with-jsonl.ts with the call src/kinds/kinds.ts uses) runs through the real
// `ferry` command path: check (its own finding, then clean), plan, run, status, a re-run, and the
// one-line errors of commands it does not support. Without the registration the config is refused
// with the list of kinds, so nothing else in src/ knows the kind.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { configDir, ferry, suffix } from './cli-harness.js';

const ENTRY = resolve(import.meta.dirname, 'kinds/ferry-with-jsonl.ts');

// Export rows written by hand (ids past 2^53 and a decimal wider than a double stay text).
const CUSTOMERS = [
  '{"ID": 1, "NAME": "Ada", "BALANCE": 12345678901234567.12345678}',
  '{"ID": 2, "NAME": "Grace 😀", "BALANCE": -0.5}',
].join('\n');
const ORDERS = [
  '{"ID": 9007199254740993, "CUSTOMERID": 2, "TOTAL": 99.95}',
  '{"ID": 9007199254740994, "CUSTOMERID": 1, "TOTAL": 0.01}',
].join('\n');
/** The lines the target must hold, written out by hand (not computed by the mapping code). */
const EXPECTED = {
  'Sales.Customer': [
    { id: '1', name: 'Ada', balance: '12345678901234567.12345678' },
    { id: '2', name: 'Grace 😀', balance: '-0.5' },
  ],
  'Sales.Order': [
    { id: '9007199254740993', customer_id: '2', total: '99.95' },
    { id: '9007199254740994', customer_id: '1', total: '0.01' },
  ],
};

const MAPPING = {
  version: 1,
  entities: [
    {
      source: { module: 'Sales', entity: 'Customer' },
      target: { schema: 'sales', table: 'customer' },
      key: ['Id'],
      attributes: {
        Id: { type: 'rtLongInteger', mandatory: true, autoNumber: true },
        Name: { type: 'rtText', length: 100, mandatory: true },
        Balance: { type: 'rtDecimal', length: 37, decimals: 8 },
      },
    },
    {
      source: { module: 'Sales', entity: 'Order' },
      target: { schema: 'sales', table: 'order' },
      key: ['Id'],
      attributes: {
        Id: { type: 'rtLongInteger', mandatory: true, autoNumber: true },
        CustomerId: { type: 'rtLongInteger', reference: { kind: 'entity', entity: 'Sales.Customer' } },
        Total: { type: 'rtDecimal', length: 37, decimals: 8 },
      },
    },
  ],
};

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(): Promise<{ dir: string; runId: string }> {
  const runId = `jsonl-${suffix()}`;
  const dir = await configDir({
    runId,
    source: { kind: 'json', dir: 'export' },
    target: { kind: 'jsonl', dir: 'out' },
    mapping: 'ferry.mapping.json',
    state: { kind: 'file', dir: '.ferry/state' },
  });
  dirs.push(dir);
  await mkdir(join(dir, 'export'));
  await writeFile(join(dir, 'export', 'Sales.Customer.ndjson'), `${CUSTOMERS}\n`);
  await writeFile(join(dir, 'export', 'Sales.Order.ndjson'), `${ORDERS}\n`);
  await writeFile(join(dir, 'ferry.mapping.json'), JSON.stringify(MAPPING));
  return { dir, runId };
}

async function lines(path: string): Promise<unknown[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('a target kind registered from a test folder', () => {
  it('is unknown to the plain ferry, which lists the kinds', async () => {
    const { dir } = await project();
    const check = await ferry(['check'], { cwd: dir });
    expect(check.code).toBe(ExitCode.usage);
    expect(check.stderr).toContain(
      '/target/kind: unknown or missing kind "jsonl"; the kinds are "postgres", "odc-rest", "ndjson"',
    );
    expect(check.stderr).toContain('[FERRY_CONFIG_INVALID]');
  }, 60_000);

  it('checks, plans, runs and resumes through the real command path', async () => {
    const { dir, runId } = await project();
    const run = (args: string[]) => ferry(args, { cwd: dir, entry: ENTRY });

    // The kind's own check: its folder must exist (one finding per entity), then the check passes.
    const missing = await run(['--json', 'check']);
    expect(missing.code, missing.stderr).toBe(ExitCode.findings);
    const found = JSON.parse(missing.stdout) as {
      findings: { kind: string; entity: string; expected: string }[];
    };
    expect(found.findings).toEqual([
      { kind: 'missing-table', entity: 'Sales.Customer', expected: 'folder out', actual: 'does not exist' },
      { kind: 'missing-table', entity: 'Sales.Order', expected: 'folder out', actual: 'does not exist' },
    ]);
    await mkdir(join(dir, 'out'));
    const check = await run(['check']);
    expect(check.code, check.stderr + check.stdout).toBe(ExitCode.ok);
    expect(check.stdout).toContain('Model check passed: 2 entities consistent.');
    expect(check.stderr).not.toContain('has no tables to compare');

    const plan = await run(['plan']);
    expect(plan.code, plan.stderr).toBe(ExitCode.ok);
    expect(plan.stdout).toContain(`jsonl ${join('out', 'Sales.Order.jsonl')}`);

    const first = await run(['run']);
    expect(first.code, first.stderr + first.stdout).toBe(ExitCode.ok);
    for (const [entity, rows] of Object.entries(EXPECTED))
      expect(await lines(join(dir, 'out', `${entity}.jsonl`))).toEqual(rows);
    const report = JSON.parse(await readFile(join(dir, '.ferry', `${runId}.report.json`), 'utf8')) as {
      target: unknown;
      status: string;
    };
    expect(report).toMatchObject({ target: { kind: 'jsonl' }, status: 'completed' });

    const status = JSON.parse((await run(['--json', 'status'])).stdout) as { state: string };
    expect(status.state).toBe('completed');
    const again = await run(['run']);
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect(again.stdout).toContain(`Run ${runId} was already complete.`);
    expect(await lines(join(dir, 'out', 'Sales.Order.jsonl'))).toHaveLength(2);

    // Commands the kind does not declare: one line naming the command and the kind.
    const verify = await run(['verify']);
    expect(verify.code).toBe(ExitCode.usage);
    expect(verify.stderr.trim()).toBe(
      'ferry: ferry verify needs target.kind "postgres"; this config has "jsonl" [FERRY_TARGET_KIND]',
    );
    const reset = await run(['reset', '--truncate', '--yes']);
    expect(reset.code).toBe(ExitCode.usage);
    expect(reset.stderr.trim()).toBe(
      'ferry: ferry reset --truncate needs target.kind "postgres"; this config has "jsonl" [FERRY_TARGET_KIND]',
    );
  }, 180_000);
});
