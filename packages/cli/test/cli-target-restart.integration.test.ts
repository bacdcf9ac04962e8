// A target PostgreSQL restarted or stopped during `ferry run` (issue 14, case 1): the process must not
// die of an unhandled 'error' event from a pooled client it holds (the run lock, the sink); it ends
// with its usual lines, an exit code and a report, and the next `ferry run` completes without
// duplicates. The target is a second cluster this test creates on a free port and drops at the end.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
import { createTestCluster, type TestCluster } from './pg-cluster.js';

let cluster: TestCluster | undefined;

beforeAll(async () => {
  cluster = await createTestCluster();
}, 120_000);
afterAll(async () => cluster?.drop(), 60_000);

/** Starts `ferry run`, waits for durable Sales.Order batches, then hurts the target with `fault`. */
async function runThroughFault(fixture: Fixture, fault: () => Promise<void>) {
  const { done } = await startRunUntil(fixture);
  await fault();
  return done;
}

async function expectCleanEndThenResume(fixture: Fixture, fault: () => Promise<void>): Promise<void> {
  const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const first = await runThroughFault(fixture, fault);
  const output = `${first.stdout}\n${first.stderr}`.slice(-3000);
  expect(first.stderr, output).not.toMatch(/Unhandled 'error' event|node:events/);
  expect([ExitCode.ok, ExitCode.failed, ExitCode.unreachable], output).toContain(first.code);
  expect(first.stdout, output).toContain('Report: ');
  const report = JSON.parse(
    await readFile(join(fixture.dir, '.ferry', `${String(fixture.config.runId)}.report.json`), 'utf8'),
  ) as { status: string; resumable: boolean };
  if (first.code !== ExitCode.ok) {
    expect(first.stderr, output).toMatch(/^ferry: |\[FERRY_/m);
    expect(report.resumable).toBe(true);
  }

  const second = await cli('run');
  expect(second.code, second.stderr).toBe(ExitCode.ok);
  const checks = await checkTarget(fixture);
  expect(checks).toEqual(checks.map(sampleEntityEqual));
  const verify = await cli('verify');
  expect(verify.code, verify.stdout).toBe(ExitCode.ok);
}

describe('target restarted during run', () => {
  it('copy mode, PostgreSQL state, restart -m fast: clean end, then resume', async () => {
    const fixture = await openFixture(3000, { batchSize: 100, concurrency: 1 }, {}, cluster!.url);
    try {
      await expectCleanEndThenResume(fixture, () => cluster!.ctl('restart', '-m', 'fast'));
    } finally {
      await fixture.drop();
    }
  }, 300_000);

  it('upsert mode, file state, stop -m immediate then start: clean end, then resume', async () => {
    const fixture = await openFixture(3000, { batchSize: 100, concurrency: 1 }, {}, cluster!.url);
    try {
      await fixture.writeConfig({
        target: { ...(fixture.config.target as object), mode: 'upsert' },
        state: { kind: 'file', dir: '.ferry/state' },
      });
      await expectCleanEndThenResume(fixture, async () => {
        await cluster!.ctl('stop', '-m', 'immediate');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await cluster!.ctl('start');
      });
    } finally {
      await fixture.drop();
    }
  }, 300_000);
});
