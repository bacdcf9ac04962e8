// The run lock survives a target restart (issue 14, follow-up of cases 1 and 3): the advisory lock dies
// with its session when the target PostgreSQL restarts, while `ferry run` goes on retrying. The run
// takes it again, so a `reset` or a second `run` started after the restart is still refused (exit 6)
// while the first run lives; the first run then completes and the target equals the source. The target
// is a second cluster this test creates on a free port and drops at the end.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { checkTarget, ferry, openFixture, sampleEntityEqual, startRunUntil } from './cli-harness.js';
import type { Fixture } from './cli-harness.js';
import { createTestCluster, type TestCluster } from './pg-cluster.js';

let cluster: TestCluster | undefined;
let fixture: Fixture | undefined;

beforeAll(async () => {
  cluster = await createTestCluster();
}, 120_000);
afterAll(async () => {
  await fixture?.drop();
  await cluster?.drop();
}, 60_000);

/** The config as a ferry.config.ts whose stage waits `ms` per batch of the order entities: a long run. */
function slowConfig(config: Record<string, unknown>, ms: number): string {
  return `const slow = async function* <T>(input: AsyncIterable<T>): AsyncIterable<T> {
  for await (const batch of input) {
    await new Promise((resolve) => setTimeout(resolve, ${ms}));
    yield batch;
  }
};
export default { ...${JSON.stringify(config)}, hooks: { stages: { 'Sales.Order': [slow], 'Sales.OrderLine': [slow] } } };
`;
}

/** Advisory locks granted on the test cluster (only Ferry's run lock takes one there). */
async function advisoryLocks(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`,
    );
    return rows[0]!.n;
  } catch {
    return 0; // not accepting connections yet
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('run lock across a target restart', () => {
  it('a reset and a second run after the restart are refused while the first run lives', async () => {
    fixture = await openFixture(3000, { batchSize: 100, concurrency: 1 }, {}, cluster!.url);
    const cli = (...args: string[]) => ferry(args, { cwd: fixture!.dir, env: fixture!.env });
    expect((await cli('discover')).code).toBe(ExitCode.ok);
    await rm(join(fixture.dir, 'ferry.config.json'));
    await writeFile(join(fixture.dir, 'ferry.config.ts'), slowConfig(fixture.config, 500));

    const { child, done } = await startRunUntil(fixture);
    await cluster!.ctl('restart', '-m', 'fast');
    // The run takes its lock again once the target answers; give it up to 5 s, then try anyway.
    for (let i = 0; i < 50 && (await advisoryLocks(cluster!.url)) === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const [reset, second] = await Promise.all([cli('reset', '--yes'), cli('run')]);
    expect(child.exitCode, 'the first run must still be alive').toBeNull();
    expect(reset.code, `${reset.stdout}\n${reset.stderr}`).toBe(ExitCode.locked);
    expect(reset.stderr).toMatch(/already running in another process \[FERRY_RUN_LOCKED\]/);
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(ExitCode.locked);
    expect(second.stderr).toMatch(/already running in another process \[FERRY_RUN_LOCKED\]/);

    const first = await done;
    expect(first.stderr).not.toMatch(/Unhandled 'error' event|node:events/);
    expect(first.code, first.stderr.slice(-3000)).toBe(ExitCode.ok);
    const checks = await checkTarget(fixture);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
  }, 300_000);
});
