// Issue 14, case 8 through the real command, without a SQL Server: the forms O11 administrators hold
// reach the driver instead of failing as "Invalid URL". An ADO.NET connection string to a port where
// nothing listens fails as an unreachable source (exit 5) naming the side, the client and the
// environment variable; an unreadable one is a config error (exit 2); `client: "oracledb"` without the
// package names the package to install. The password never appears, not even with `--stack`.

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { configDir, ferry, PG_URL } from './cli-harness.js';

const SECRET = 'hunter2-Ferry-secret';

const config = (client: string) => ({
  runId: 'drivers',
  source: { kind: 'o11-sql', client, connection: { env: 'O11_URL' } },
  target: { kind: 'postgres', connection: { env: 'ODC_URL' }, mode: 'copy', schema: 'ferry_drivers' },
  mapping: 'ferry.mapping.json',
  state: { kind: 'file', dir: '.ferry/state' },
});

/** A local TCP port with nothing listening on it (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function discover(client: string, source: string, ...flags: string[]) {
  const dir = await configDir(config(client));
  const env = { ...process.env, O11_URL: source, ODC_URL: PG_URL };
  return ferry([...flags, 'discover'], { cwd: dir, env });
}

describe('SQL Server and Oracle at the first step (real CLI, no server)', () => {
  it('an ADO.NET string reaches the driver: unreachable source, exit 5, side and env var named, no secret', async () => {
    const ado = `Server=tcp:127.0.0.1,${await closedPort()};Database=OUTSYSTEMS;User Id=ro;Password=${SECRET};Encrypt=False;Connect Timeout=5`;
    for (const flags of [[], ['--stack']]) {
      const result = await discover('mssql', ado, ...flags);
      expect(result.code, result.stderr).toBe(ExitCode.unreachable);
      expect(result.stderr).toContain('cannot reach the source database (mssql, env O11_URL)');
      expect(result.stderr).not.toContain('Invalid URL');
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  }, 60_000);

  it('an unreadable ADO.NET string is a config error naming the side and env var, no secret', async () => {
    const result = await discover('mssql', `Server=tcp:127.0.0.1;Password=${SECRET};Encrypt=sometimes`);
    expect(result.code, result.stderr).toBe(ExitCode.usage);
    expect(result.stderr).toContain('source.connection (env O11_URL): SQL Server connection string');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  }, 60_000);

  it('client "oracledb" without the package: one line naming the package, exit 2, no secret', async () => {
    const result = await discover('oracledb', `oracle://ro:${SECRET}@127.0.0.1:1521/XE`);
    expect(result.code, result.stderr).toBe(ExitCode.usage);
    expect(result.stderr).toContain('npm install oracledb');
    expect(result.stderr).toContain('FERRY_DRIVER_MISSING');
    expect(result.stderr).not.toContain('Cannot find module');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  }, 60_000);
});
