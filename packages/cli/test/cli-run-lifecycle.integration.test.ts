// The operator's view of a run's life (issue 14, cases 2, 3, 7, 10): `reset` and a second `run` are
// refused with their own exit code while a run holds the lock; `status` compares with the plan (entities
// not started are listed; a killed run is "interrupted", a live one "in progress"); and a copy-mode
// start-over fails on duplicate keys with a pointer to `reset --truncate`, which empties the run's
// tables in one transaction so the next run completes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  checkTarget,
  ferry,
  openFixture,
  sampleEntityEqual,
  startRunUntil,
  type Fixture,
} from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

interface Status {
  state: string;
  notStarted: string[];
  checkpoints: { entity: string; status: string }[];
}
const status = async (): Promise<Status> => JSON.parse((await cli('--json', 'status')).stdout) as Status;

beforeAll(async () => {
  // About 18k rows in small batches, so a run is still busy while the test acts on it.
  fixture = await openFixture(3000, { batchSize: 100, concurrency: 1 });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
}, 240_000);
afterAll(async () => fixture.drop());

describe('a run under way, then killed', () => {
  it('refuses reset and a second run (exit 6), then status says interrupted and lists the rest', async () => {
    const { child, done } = await startRunUntil(fixture);
    // Frozen mid-run, it holds its lock for as long as the test needs, like a busy run.
    child.kill('SIGSTOP');
    try {
      const reset = await cli('reset', '--yes');
      expect(reset.code, reset.stderr).toBe(ExitCode.locked);
      expect(reset.stderr).toContain('[FERRY_RUN_LOCKED');
      expect(reset.stdout).not.toContain('Forgot');
      const second = await cli('run');
      expect(second.code, second.stderr).toBe(ExitCode.locked);
      expect((await status()).state).toBe('in progress');
    } finally {
      child.kill('SIGKILL');
      await done;
    }
    const after = await status();
    expect(after.state).toBe('interrupted');
    expect(after.checkpoints.length).toBeGreaterThan(0);
    expect(after.notStarted).toContain('Sales.OrderLine');
    const text = await cli('status');
    expect(text.stdout).toMatch(/interrupted/);
    expect(text.stdout).toMatch(/Sales\.OrderLine\s+not started/);

    const resumed = await cli('run');
    expect(resumed.code, resumed.stderr).toBe(ExitCode.ok);
    const final = await status();
    expect(final.state).toBe('completed');
    expect(final.notStarted).toEqual([]);
  }, 300_000);
});

describe('starting over in copy mode', () => {
  it('fails on duplicate keys pointing at reset --truncate, which empties the tables', async () => {
    expect((await cli('reset', '--yes')).code).toBe(ExitCode.ok);
    const again = await cli('run');
    expect(again.code, again.stderr).toBe(ExitCode.failed);
    expect(again.stderr).toContain('ferry reset --truncate --yes');

    const unconfirmed = await cli('reset', '--truncate');
    expect(unconfirmed.code).toBe(ExitCode.usage);
    const truncated = await cli('--json', 'reset', '--truncate', '--yes');
    expect(truncated.code, truncated.stderr).toBe(ExitCode.ok);
    const body = JSON.parse(truncated.stdout) as { truncated: string[]; rowsDeleted: number };
    expect(body.truncated.length).toBeGreaterThan(0);
    expect(body.rowsDeleted).toBeGreaterThan(0);

    const fresh = await cli('run');
    expect(fresh.code, fresh.stderr).toBe(ExitCode.ok);
    const checks = await checkTarget(fixture);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
    const verify = await cli('verify');
    expect(verify.code, verify.stdout).toBe(ExitCode.ok);
  }, 300_000);
});
