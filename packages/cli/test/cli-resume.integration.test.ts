// Ctrl-C during `ferry run` is a safe abort: the process exits 4 leaving checkpoints behind (status
// "interrupted"), and a second `ferry run` resumes (not restarts) and completes with every source row
// in the target exactly once, as a row-by-row check against the fixture generators' rows, a direct
// count and key check, and `verify` confirm.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  checkTarget,
  ferry,
  openFixture,
  physicalTable,
  sampleEntityEqual,
  startRunUntil,
  type Fixture,
} from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  // About 18k rows in small batches and a slow commit rhythm, so the run is still busy when signalled.
  fixture = await openFixture(3000, { batchSize: 100, commitEvery: 500, concurrency: 1 });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
}, 240_000);
afterAll(async () => fixture.drop());

describe('SIGINT during run', () => {
  it('aborts resumably, and a second run completes with no duplicates', async () => {
    // Interrupt once Sales.Order (the biggest entity before OrderLine) has durable batches.
    const { child, done } = await startRunUntil(fixture);
    child.kill('SIGINT');
    const first = await done;
    expect(first.code, first.stderr.slice(-2000)).toBe(ExitCode.aborted);
    expect(first.stderr).toContain('stopping safely');
    expect(first.stdout).toContain('Run `ferry run` again to resume');

    const status = JSON.parse((await cli('--json', 'status')).stdout) as {
      state: string;
      checkpoints: { entity: string; status: string; rowsWritten: number }[];
    };
    expect(status.state).toBe('interrupted');
    const order = status.checkpoints.find((c) => c.entity === 'Sales.Order');
    expect(order?.status).toBe('running');
    expect(order?.rowsWritten).toBeGreaterThan(0);

    const second = await cli('run');
    expect(second.code, second.stderr).toBe(ExitCode.ok);
    expect(second.stderr).toContain('run ' + String(fixture.config.runId) + ' (resuming)');
    expect(second.stderr).toMatch(/Sales\.Order: started \(resumed\)/);

    // Nothing lost, nothing doubled: distinct keys = rows, and written + rejected + filtered = source rows.
    const s = fixture.targetSchema;
    const { rows } = await fixture.target.query<{ n: string; distinct_ids: string }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS distinct_ids FROM ${s}."order"`,
    );
    const [[source]] = (await fixture.source.raw(`SELECT COUNT(*) AS n FROM ${await physical('Order')}`)) as [
      [{ n: number }],
    ];
    const final = JSON.parse((await cli('--json', 'status')).stdout) as {
      checkpoints: { entity: string; rowsWritten: number; rowsRejected: number; rowsFiltered: number }[];
    };
    const orderDone = final.checkpoints.find((c) => c.entity === 'Sales.Order')!;
    expect(rows[0]!.n).toBe(rows[0]!.distinct_ids);
    expect(Number(rows[0]!.n)).toBe(orderDone.rowsWritten);
    expect(orderDone.rowsWritten + orderDone.rowsRejected + orderDone.rowsFiltered).toBe(Number(source.n));
    // Every entity, row by row, against the generators' rows (verify alone compares the mapping with itself).
    const checks = await checkTarget(fixture);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
    const verify = await cli('verify');
    expect(verify.code, verify.stdout).toBe(ExitCode.ok);
  }, 300_000);
});

const physical = (entity: string): Promise<string> => physicalTable(fixture.source, entity);
