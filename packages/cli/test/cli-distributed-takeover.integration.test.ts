// A worker killed while holding a job: the coordinator is stopped first (Ctrl-C: it stops following,
// exit 4, the workers go on), then the only worker is SIGKILLed in the middle of a pipeline. With no
// process left, `reset` is refused (exit 6) while the dead worker's job is still active; a new worker
// takes the same job over once it expires (the time is measured, printed and bounded), resumes it from
// its checkpoint and completes the run; `status` shows the jobs; `verify` agrees; a second
// `run --distributed` finds the run complete. Then, after `reset --truncate`, a worker that cannot reach
// the source fails its jobs in one line and leaves them to a worker that can. Also: a file state is
// refused with the setting named; and with every process gone (worker SIGKILLed, coordinator stopped),
// `status` advises the distributed resume, `reset` names when the dead worker's job expires, and after
// that time (no pg-boss left to expire it; a local `run` completed the run meanwhile) `status` shows it
// expired and `reset` removes it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleShape } from '@ferry/adapters/o11';
import { readRunJobs } from '@ferry/adapters/distributed';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, type Fixture } from './cli-harness.js';
import {
  durableRows,
  openDistributedFixture,
  startCoordinator,
  startWorker,
  until,
} from './distributed-harness.js';

const EXPIRE_SECONDS = 10;
const POLL_SECONDS = 0.5;

let fixture: Fixture;
const jobs = async () =>
  (await readRunJobs(fixture.target, `${fixture.stateSchema}_jobs`, String(fixture.config.runId))) ?? [];
async function checkpoint(entity: string): Promise<{ status: string; rows: number } | undefined> {
  const { rows } = await fixture.target.query<{ status: string; rows: string }>(
    `SELECT status, rows_read AS rows FROM ${fixture.stateSchema}.checkpoints WHERE run_id = $1 AND entity = $2`,
    [String(fixture.config.runId), entity],
  );
  return rows[0] === undefined ? undefined : { status: rows[0].status, rows: Number(rows[0].rows) };
}
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openDistributedFixture(
    30_000,
    {
      batchSize: 500,
      commitEvery: 2000,
      distributed: { expireSeconds: EXPIRE_SECONDS, retryDelaySeconds: 0, pollSeconds: POLL_SECONDS },
    },
    { extra: cycleShape, seed: 5 },
  );
  expect((await cli('discover')).code).toBe(ExitCode.ok);
}, 240_000);
afterAll(async () => fixture?.drop());

describe('a worker killed while holding a job', () => {
  it('is taken over after its expiry, and the run completes exactly once', async () => {
    const coordinator = startCoordinator(fixture);
    const first = startWorker(fixture);
    await until(async () => (await durableRows(fixture)) > 4000, 120_000, 'durable rows');
    // While it runs, `status` shows the processes holding the run and the jobs per state.
    const live = JSON.parse((await cli('--json', 'status')).stdout) as {
      state: string;
      distributed: { jobs: { completed: number; active: number }; processes: { name: string }[] };
    };
    expect(live.state).toBe('in progress');
    expect(live.distributed.processes.map((p) => p.name.split(' ').slice(0, 2).join(' ')).sort()).toEqual([
      'ferry run',
      'ferry worker',
    ]);
    expect(live.distributed.jobs.completed + live.distributed.jobs.active).toBeGreaterThan(0);
    coordinator.child.kill('SIGINT');
    const stopped = await coordinator.done;
    expect(stopped.code, stopped.stderr.slice(-2000)).toBe(ExitCode.aborted);
    expect(stopped.stdout).toContain('its workers go on');
    // Mid-pipeline: the worker holds a job whose checkpoint has durable rows and is not complete.
    let held = '';
    await until(
      async () => {
        const active = (await jobs()).filter((j) => j.state === 'active').map((j) => j.pipeline);
        const saved = await checkpoint(active[0] ?? '');
        held = active[0] ?? '';
        return saved !== undefined && saved.status === 'running' && saved.rows > 0;
      },
      120_000,
      'a job in the middle of its pipeline',
    );
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    await first.done;
    expect((await jobs()).find((j) => j.pipeline === held)?.state).toBe('active');

    const refused = await cli('reset', '--yes');
    expect(refused.code, refused.stderr).toBe(ExitCode.locked);
    expect(refused.stderr).toContain('FERRY_RUN_JOBS_ACTIVE');

    const second = startWorker(fixture);
    await until(() => second.taken.some((t) => t.pipeline === held), 60_000, `the takeover of ${held}`);
    const takeoverMs = second.taken.find((t) => t.pipeline === held)!.at - killedAt;
    const readyMs = (second.readyAt() ?? NaN) - killedAt;
    console.log(
      `takeover of ${held}: ${(takeoverMs / 1000).toFixed(1)} s after the kill (expireSeconds ${EXPIRE_SECONDS}; the new worker, started after \`reset\`, was taking jobs ${(readyMs / 1000).toFixed(1)} s after the kill)`,
    );
    // Bounded by the expiry, pg-boss's maintenance (a third of it), a poll, and start-up of the worker.
    expect(takeoverMs).toBeLessThan((EXPIRE_SECONDS + EXPIRE_SECONDS / 3 + POLL_SECONDS + 6) * 1000);
    const ended = await second.done;
    expect(ended.code, ended.stderr.slice(-3000)).toBe(ExitCode.ok);
    expect(ended.stdout).toMatch(/is complete/);

    const status = JSON.parse((await cli('--json', 'status')).stdout) as {
      state: string;
      entities: { entity: string; rowsRead: number; rowsWritten: number; rowsRejected: number }[];
      distributed: { jobs: Record<string, number>; processes: unknown[] };
    };
    expect(status.state).toBe('completed');
    expect(status.distributed.jobs).toMatchObject({ created: 0, retry: 0, active: 0, failed: 0 });
    expect(status.distributed.jobs.completed).toBeGreaterThan(5);

    const verify = await cli('verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(ExitCode.ok);
    const { rows } = await fixture.target.query<{ n: number; d: number }>(
      `SELECT COUNT(*)::int AS n, COUNT(DISTINCT id)::int AS d FROM ${fixture.targetSchema}."order"`,
    );
    // Every order read once and written or rejected once (the generated mapping rejects orders of the
    // deleted static status), no key twice, though the job was run by two workers.
    const order = status.entities.find((e) => e.entity === 'Sales.Order')!;
    expect(order.rowsRead).toBe(30_000);
    expect(order.rowsWritten + order.rowsRejected).toBe(30_000);
    expect(rows[0]).toEqual({ n: order.rowsWritten, d: order.rowsWritten });

    const again = await cli('run', '--distributed');
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect(again.stdout).toMatch(/was already complete/);
  }, 300_000);

  it('a worker that cannot reach the source fails its job in one line; another worker completes it', async () => {
    const reset = await cli('reset', '--truncate', '--yes');
    expect(reset.code, reset.stderr).toBe(ExitCode.ok);
    expect(await jobs()).toEqual([]);
    const coordinator = startCoordinator(fixture);
    // Port 1 on this machine: nothing listens (connection refused).
    const source = new URL(String(fixture.env['FERRY_TEST_SOURCE']));
    source.port = '1';
    const cut = startWorker({
      dir: fixture.dir,
      env: { ...fixture.env, FERRY_TEST_SOURCE: source.toString() },
    });
    await until(() => cut.failures.length > 0, 120_000, 'a failed job');
    expect(cut.failures[0]).toMatch(
      /job \S+: cannot reach the source database .*env FERRY_TEST_SOURCE.*\[FERRY_UNREACHABLE\] \(the job is retried\)$/,
    );
    expect(cut.failures[0]).not.toContain(':1/');
    const good = startWorker(fixture);
    const [run, ended] = await Promise.all([coordinator.done, good.done]);
    expect(run.code, run.stderr.slice(-2000)).toBe(ExitCode.ok);
    expect(ended.code, ended.stderr.slice(-2000)).toBe(ExitCode.ok);
    const stopped = await cut.done;
    // It stopped after three unreachable jobs (5), or found the run complete after its pause (0).
    expect([ExitCode.unreachable, ExitCode.ok]).toContain(stopped.code);
    expect(good.taken.length).toBeGreaterThan(0);
    const verify = await cli('verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(ExitCode.ok);
  }, 300_000);

  it('refuses a file state, naming the setting', async () => {
    await fixture.writeConfig({ state: { kind: 'file', dir: '.ferry/state' } });
    try {
      const result = await cli('worker');
      expect(result.code).toBe(ExitCode.usage);
      expect(result.stderr).toContain('state.kind is "file"');
      expect(result.stderr).toContain('FERRY_DISTRIBUTED_STATE');
    } finally {
      await fixture.writeConfig();
    }
  });
});

describe("a killed worker's job with no process left", () => {
  it('is shown expired after its expiry, and reset then removes it', async () => {
    const start = await cli('reset', '--truncate', '--yes');
    expect(start.code, start.stderr).toBe(ExitCode.ok);
    const coordinator = startCoordinator(fixture);
    const worker = startWorker(fixture);
    const active = async () => (await jobs()).filter((j) => j.state === 'active').map((j) => j.pipeline);
    await until(
      async () => ((await checkpoint((await active())[0] ?? ''))?.rows ?? 0) > 0,
      120_000,
      'a job in the middle of its pipeline',
    );
    worker.child.kill('SIGKILL');
    await worker.done;
    coordinator.child.kill('SIGINT');
    expect((await coordinator.done).code).toBe(ExitCode.aborted);
    const held = await active();
    expect(held).toHaveLength(1);

    const interrupted = await cli('status');
    expect(interrupted.stdout + interrupted.stderr).toContain(
      'Run `ferry run --distributed` and start `ferry worker` on each host to resume run',
    );
    const refused = await cli('reset', '--yes');
    expect(refused.code, refused.stderr).toBe(ExitCode.locked);
    const when = /the last expires at (\S+) \(in about (\d+) s\), reset then/.exec(refused.stderr);
    expect(when, refused.stderr).not.toBeNull();
    const expiresAt = Date.parse(when![1]!);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(EXPIRE_SECONDS * 1000);
    expect(Number(when![2])).toBeLessThanOrEqual(EXPIRE_SECONDS);

    // A local run completes the run meanwhile; the dead worker's job stays active in pg-boss's table.
    expect((await cli('run')).code).toBe(ExitCode.ok);
    await until(async () => Date.now() > expiresAt + 500, 60_000, 'the expiry');
    const status = JSON.parse((await cli('--json', 'status')).stdout) as {
      state: string;
      distributed: { jobs: { active: number; expired: number }; expired: string[] };
    };
    expect(status.state).toBe('completed');
    expect(status.distributed.jobs).toMatchObject({ active: 0, expired: 1 });
    expect(status.distributed.expired).toEqual(held);
    const reset = await cli('reset', '--yes');
    expect(reset.code, reset.stderr).toBe(ExitCode.ok);
    expect(await jobs()).toEqual([]);
  }, 300_000);
});
