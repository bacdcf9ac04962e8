// The run report is a record (issue 14, case 5): one `.ferry/<runId>.report.json` per run, accumulated
// over a Ctrl-C'd process, a SIGKILLed one and the one that completes: every process with its times
// and rows, rows/s over what each moved, mapping notes of distinct rows (compared with SQL on the
// source), and a completed run invoked again keeps its report byte for byte. After `reset --truncate`
// the next run starts a new report (the old one kept renamed).

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, startRunUntil, type Fixture } from './cli-harness.js';

interface Process {
  status: string;
  startedAt: string;
  endedAt?: string;
  rowsWritten?: number;
  durationMs?: number;
  rowsPerSecond?: number;
}
interface Report {
  status: string;
  rowsPerSecond: number;
  durationMs: number;
  processes: Process[];
  totals: { rowsRead: number; rowsWritten: number; rowsRejected: number; rowsFiltered: number };
  entities: { entity: string; rowsWritten: number }[];
  mapping: { entity: string; attribute: string; event: string; count: number }[];
}

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const reportPath = (): string => join(fixture.dir, '.ferry', `${String(fixture.config.runId)}.report.json`);

beforeAll(async () => {
  // About 18k rows in small batches and a slow commit rhythm, so each process is busy when signalled.
  fixture = await openFixture(3000, { batchSize: 100, commitEvery: 500, concurrency: 1 });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  // An optional StatusId: a deleted status becomes NULL, counted as a note (mandatory, it is rejected).
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as {
    entities: { name: string; attributes: Record<string, { mandatory?: boolean }> }[];
  };
  delete mapping.entities.find((e) => e.name === 'Sales.Order')!.attributes['StatusId']!.mandatory;
  await writeFile(path, JSON.stringify(mapping, null, 2));
}, 240_000);
afterAll(async () => fixture.drop());

/** Orders whose status is a deleted (inactive) static record: the mapping sets each to NULL once. */
async function ordersWithDeletedStatus(): Promise<number> {
  const order = await physicalTable(fixture.source, 'Order');
  const [[row]] = (await fixture.source.raw(
    `SELECT COUNT(*) AS n FROM ${order} WHERE STATUSID IN (SELECT DATA_ID FROM OSSYS_ENTITY_RECORD WHERE IS_ACTIVE = 0)`,
  )) as [[{ n: number | string }]];
  return Number(row.n);
}

/** Rows in every target table, counted in SQL. */
async function targetRows(): Promise<number> {
  const { rows } = await fixture.target.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
    [fixture.targetSchema],
  );
  let total = 0;
  for (const { table_name } of rows) {
    const counted = await fixture.target.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM "${fixture.targetSchema}"."${table_name}"`,
    );
    total += Number(counted.rows[0]!.n);
  }
  return total;
}

describe('report of a run over SIGINT, SIGKILL and resume', () => {
  it('records every process, counts notes once, and is kept when the completed run is invoked again', async () => {
    const first = await startRunUntil(fixture);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(ExitCode.aborted);

    const second = await startRunUntil(
      fixture,
      /Sales\.Order: started \(resumed\)[\s\S]*Sales\.Order: [\d,]+ of/,
    );
    second.child.kill('SIGKILL');
    await second.done;

    const third = await cli('run');
    expect(third.code, third.stderr).toBe(ExitCode.ok);
    const text = await readFile(reportPath(), 'utf8');
    const report = JSON.parse(text) as Report;

    // Every process, oldest first, with its own start, end and rows.
    expect(report.status).toBe('completed');
    expect(report.processes.map((p) => p.status)).toEqual(['aborted', 'killed', 'completed']);
    for (const p of report.processes) {
      expect(Date.parse(p.endedAt!)).toBeGreaterThanOrEqual(Date.parse(p.startedAt));
      expect(p.rowsWritten).toBeGreaterThanOrEqual(0);
      expect(p.rowsPerSecond).toBe(
        p.durationMs! > 0 ? Math.round((p.rowsWritten! / p.durationMs!) * 1000) : 0,
      );
    }
    expect(report.processes[0]!.rowsWritten).toBeGreaterThan(0);
    // The processes' rows add up to the run's; its first-pass rows are the target's rows (SQL). A
    // second pass (`#pass2`, cyclic references) updates rows the first pass wrote.
    const written = report.totals.rowsWritten;
    const firstPass = report.entities
      .filter((e) => !e.entity.includes('#pass'))
      .reduce((sum, e) => sum + e.rowsWritten, 0);
    expect(firstPass).toBe(await targetRows());
    expect(report.processes.reduce((sum, p) => sum + p.rowsWritten!, 0)).toBe(written);
    // Rows/s of the run: rows each process moved over the time each ran.
    const ms = report.processes.reduce((sum, p) => sum + p.durationMs!, 0);
    expect(report.durationMs).toBe(ms);
    expect(report.rowsPerSecond).toBe(Math.round((written / ms) * 1000));

    // Notes count distinct rows across the three processes: equal to SQL on the source.
    const expected = await ordersWithDeletedStatus();
    expect(expected).toBeGreaterThan(0);
    const noted = report.mapping
      .filter((m) => m.entity === 'Sales.Order' && m.event === 'deleted-static-record')
      .reduce((sum, m) => sum + m.count, 0);
    expect(noted).toBe(expected);

    // Running the completed run again changes nothing, and its report stays the record.
    const again = await cli('run');
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect(again.stdout).toContain('already complete');
    expect(await readFile(reportPath(), 'utf8')).toBe(text);
  }, 420_000);

  it('regression (report after reset): reset --truncate then run starts a new report whose processes add up to its totals', async () => {
    const old = await readFile(reportPath(), 'utf8');
    const reset = await cli('--json', 'reset', '--truncate', '--yes');
    expect(reset.code, reset.stderr).toBe(ExitCode.ok);
    const { kept } = JSON.parse(reset.stdout) as { kept: string[] };
    const runId = String(fixture.config.runId);
    const report = kept.find((path) => path.endsWith('.json') && path.includes(`${runId}.report.`))!;
    expect(report).toMatch(/\.report\.\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    expect(await readFile(report, 'utf8')).toBe(old); // the old record, kept as it was
    expect(await readdir(join(fixture.dir, '.ferry'))).not.toContain(`${runId}.report.json`);

    const run = await cli('run');
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    const fresh = JSON.parse(await readFile(reportPath(), 'utf8')) as Report;
    expect(fresh.status).toBe('completed');
    expect(fresh.processes.map((p) => p.status)).toEqual(['completed']);
    const written = fresh.totals.rowsWritten;
    expect(fresh.processes[0]!.rowsWritten).toBe(written);
    const firstPass = fresh.entities
      .filter((e) => !e.entity.includes('#pass'))
      .reduce((sum, e) => sum + e.rowsWritten, 0);
    expect(firstPass).toBe(await targetRows());
    expect(fresh.rowsPerSecond).toBe(Math.round((written / fresh.durationMs) * 1000));
  }, 420_000);
});
