// The CLI's main error paths, through the real command: missing and malformed configs, an unreachable
// database (one clear line, exit 5, no secret), an unknown entity, usage errors, --json errors.

import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { configDir, ferry, openFixture, type Fixture } from './cli-harness.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dirWith(config: unknown, name?: string): Promise<string> {
  const dir = await configDir(config, name);
  dirs.push(dir);
  return dir;
}

const SECRET = 'hunter2-secret';

describe('ferry usage and config errors', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const result = await ferry(['--help'], { cwd: await dirWith({}) });
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toContain('discover');
  });

  it('refuses an unknown command with exit 2', async () => {
    const result = await ferry(['migrate-everything'], { cwd: await dirWith({}) });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("unknown command 'migrate-everything'");
  });

  it.each([
    [['sync', '--deletes', 'bogus'], "argument 'bogus' is invalid"],
    [['diff', '--nope'], "unknown option '--nope'"],
    [['sync', '--diff-file'], "option '--diff-file <file>' argument missing"],
    [['users', '--nope'], "unknown option '--nope'"],
  ])('refuses a usage error of a command (%j) with exit 2', async (args, message) => {
    const result = await ferry(args, { cwd: await dirWith({}) });
    expect(result.code, result.stderr).toBe(ExitCode.usage);
    expect(result.stderr).toContain(message);
  });

  it('says a missing config is missing, exit 2, no stack', async () => {
    const dir = await dirWith({}, 'other.json');
    const result = await ferry(['plan'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(/cannot read config file ferry\.config\.json/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says a malformed config is malformed, with the JSON path of every problem', async () => {
    const dir = await dirWith({
      source: { kind: 'o11-sql', client: 'sqlserver' },
      target: { kind: 'postgres' },
      batchSize: 0,
    });
    const result = await ferry(['plan'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('/source/client: must be one of');
    expect(result.stderr).toContain('/target/connection: is required');
    expect(result.stderr).toContain('/batchSize: must be >= 1');
  });

  it('says invalid JSON is invalid JSON', async () => {
    const result = await ferry(['plan'], { cwd: await dirWith('{ "source": ') });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('is not valid JSON');
  });

  it('prints a stack trace only with --stack', async () => {
    const dir = await dirWith('{ "source": ');
    const result = await ferry(['--stack', 'plan'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('gives a JSON error document with --json', async () => {
    const result = await ferry(['--json', 'plan'], { cwd: await dirWith('{') });
    expect(result.code).toBe(ExitCode.usage);
    const doc = JSON.parse(result.stdout) as { ok: boolean; exitCode: number; error: { code: string } };
    expect(doc).toMatchObject({
      ok: false,
      exitCode: ExitCode.usage,
      error: { code: 'FERRY_CONFIG_MALFORMED' },
    });
  });

  it('names a missing environment variable, never a value', async () => {
    const dir = await dirWith({
      source: { kind: 'o11-sql', client: 'mysql2', connection: { env: 'FERRY_NOT_SET_ANYWHERE' } },
      target: { kind: 'postgres', connection: { env: 'FERRY_NOT_SET_EITHER' } },
    });
    const result = await ferry(['discover'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('environment variable FERRY_NOT_SET_ANYWHERE is not set');
  });
});

describe('unreachable databases', () => {
  const config = {
    source: { kind: 'o11-sql', client: 'mysql2', connection: { env: 'SRC_URL' } },
    target: { kind: 'postgres', connection: { env: 'DST_URL' } },
  };

  it.each([
    [
      'source (MariaDB)',
      'discover',
      { SRC_URL: `mysql://root:${SECRET}@127.0.0.1:1/test`, DST_URL: 'postgres://x@127.0.0.1:1/x' },
      'source database (mysql2, env SRC_URL)',
    ],
    [
      'target (PostgreSQL)',
      'status',
      { SRC_URL: 'mysql://root@127.0.0.1:1/x', DST_URL: `postgres://postgres:${SECRET}@127.0.0.1:1/test` },
      'target database (postgres, env DST_URL)',
    ],
  ])('%s: one clear line, exit 5, no connection string', async (_label, command, env, side) => {
    const result = await ferry([command], { cwd: await dirWith(config), env });
    expect(result.code).toBe(ExitCode.unreachable);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot reach the ${side}: connection refused (ECONNREFUSED)`);
    expect(result.stderr + result.stdout).not.toContain(SECRET);
    expect(result.stderr + result.stdout).not.toContain('127.0.0.1:1');
  });

  it('wrong PostgreSQL password or database: exit 5, no secret', async () => {
    const url = new URL(process.env.FERRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    url.password = SECRET;
    url.pathname = '/ferry_no_such_database';
    const result = await ferry(['status'], {
      cwd: await dirWith(config),
      env: { SRC_URL: 'x', DST_URL: url.toString() },
    });
    expect(result.code).toBe(ExitCode.unreachable);
    expect(result.stderr).toContain('cannot reach the target database');
    expect(result.stderr).not.toContain(SECRET);
  });
});

describe('unknown entity', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture(20);
    await fixture.writeConfig({ mapping: undefined });
  });
  afterAll(async () => fixture.drop());

  it.each(['plan', 'check', 'run', 'verify', 'assess'])(
    '%s --entity Sales.Nope: clear error, exit 2',
    async (command) => {
      const result = await ferry([command, '--entity', 'Sales.Nope'], { cwd: fixture.dir, env: fixture.env });
      expect(result.code).toBe(ExitCode.usage);
      expect(result.stderr).toContain('unknown entity "Sales.Nope"');
      expect(result.stderr).toContain('Sales.Order');
    },
  );
});
