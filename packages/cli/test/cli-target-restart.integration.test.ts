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
  type CliResult,
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

/** The resumed run completes and the target equals the source row by row: none lost or doubled. */
async function expectResumeExactlyOnce(fixture: Fixture): Promise<void> {
  const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
  const second = await cli('run');
  expect(second.code, second.stderr).toBe(ExitCode.ok);
  const checks = await checkTarget(fixture);
  expect(checks).toEqual(checks.map(sampleEntityEqual));
  const verify = await cli('verify');
  expect(verify.code, verify.stdout).toBe(ExitCode.ok);
}

/** The report the first process left in `.ferry/<runId>.report.json`. */
async function readReport(fixture: Fixture): Promise<{ status: string; resumable: boolean }> {
  const file = join(fixture.dir, '.ferry', `${String(fixture.config.runId)}.report.json`);
  return JSON.parse(await readFile(file, 'utf8')) as { status: string; resumable: boolean };
}

/** No crash of Node: the process ended through Ferry's own exit path, with its report. */
function expectNoCrash(first: CliResult): string {
  const output = `${first.stdout}\n${first.stderr}`.slice(-3000);
  expect(first.stderr, output).not.toMatch(/Unhandled 'error' event|node:events|^\s+at /m);
  // Regression (issue 14): a BEGIN on the dead held connection surfaced as an unclassified ReferenceError.
  expect(output, output).not.toMatch(/ReferenceError|TypeError|FERRY_SINK_WRITE/);
  expect(first.stdout, output).toContain('Report: ');
  return output;
}

async function expectCleanEndThenResume(fixture: Fixture, fault: () => Promise<void>): Promise<void> {
  expect((await ferry(['discover'], { cwd: fixture.dir, env: fixture.env })).code).toBe(ExitCode.ok);
  const first = await runThroughFault(fixture, fault);
  const output = expectNoCrash(first);
  expect([ExitCode.ok, ExitCode.failed, ExitCode.unreachable], output).toContain(first.code);
  if (first.code !== ExitCode.ok) {
    expect(first.stderr, output).toMatch(/^ferry: |\[FERRY_/m);
    expect((await readReport(fixture)).resumable).toBe(true);
  }
  await expectResumeExactlyOnce(fixture);
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

  it('copy mode, PostgreSQL state, stopped longer than the retries: clean failure, resumable report, exactly-once resume', async () => {
    const fixture = await openFixture(3000, { batchSize: 100, concurrency: 1 }, {}, cluster!.url);
    try {
      expect((await ferry(['discover'], { cwd: fixture.dir, env: fixture.env })).code).toBe(ExitCode.ok);
      const { done } = await startRunUntil(fixture);
      await cluster!.ctl('stop', '-m', 'fast');
      // The default retries (5, backoff up to 3.2 s each) give up within seconds while the target is down.
      const first = await Promise.race([
        done,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('run did not end')), 90_000)),
      ]).finally(() => cluster!.ctl('start'));
      const output = expectNoCrash(first);
      // Every failure is a lost connection (administrator command, then refused): "cannot reach", exit 5.
      expect(first.code, output).toBe(ExitCode.unreachable);
      // A failed run ends through its result, not a thrown error: no `ferry:` line (at most one, for an
      // error outside the runner), each failed entity with its code, and the one line saying how to go on.
      expect(
        first.stderr.split('\n').filter((line) => line.startsWith('ferry: ')).length,
        output,
      ).toBeLessThanOrEqual(1);
      expect(first.stderr, output).toMatch(/^\S+: .* \[FERRY_[A-Z_]+\]$/m);
      const runId = String(fixture.config.runId);
      expect(first.stdout.match(/^Failed\. .*$/gm), output).toEqual([
        `Failed. Fix the cause, then \`ferry run\` resumes run ${runId}.`,
      ]);
      const report = await readReport(fixture);
      expect(report.status).not.toBe('completed');
      expect(report.resumable).toBe(true);
      await expectResumeExactlyOnce(fixture);
    } finally {
      await fixture.drop();
    }
  }, 300_000);
});
