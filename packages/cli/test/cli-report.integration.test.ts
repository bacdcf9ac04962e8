// `ferry report` in headless Chromium (Debian's chromium, driven by playwright-core; no downloaded
// browser): a real run with rejected rows (Sales.Order's StatusId made mandatory, so orders pointing
// at the deleted static record are rejected), `verify`, then `report`; the page is loaded from its
// file with every network request recorded, and its DOM must show each entity with the counts of
// the run report, Sales.Order's read and rejected counts as SQL on the source computes them, the
// rejected keys by rule (keys from the source, never a value), the verification and one chart bar
// per entity; a full-page screenshot is taken.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import type { RunReport } from '../src/report/run-report.js';
import { ferry, openFixture, physicalTable, type Fixture } from './cli-harness.js';

const CHROMIUM = process.env.FERRY_TEST_CHROMIUM ?? '/usr/bin/chromium';
let fixture: Fixture;
let browser: Browser;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const count = (n: number): string => n.toLocaleString('en-US');

beforeAll(async () => {
  fixture = await openFixture(200, { rejects: { maxRows: 10_000 } });
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await fixture?.drop();
});

async function makeStatusMandatory(): Promise<void> {
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as {
    entities: { name: string; attributes: Record<string, { mandatory?: boolean }> }[];
  };
  mapping.entities.find((e) => e.name === 'Sales.Order')!.attributes.StatusId!.mandatory = true;
  await writeFile(path, JSON.stringify(mapping, null, 2));
}

describe('ferry report', () => {
  it('without a run report, says so (exit 2)', async () => {
    const result = await cli('report');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('FERRY_REPORT_MISSING');
  });

  it('writes one self-contained page that Chromium shows with the run, rejects and verification', async () => {
    expect((await cli('discover')).code).toBe(ExitCode.ok);
    await makeStatusMandatory();
    const table = await physicalTable(fixture.source, 'Order');
    const [[all], [rejected]] = (await Promise.all([
      fixture.source.raw(`SELECT COUNT(*) AS n FROM ${table}`),
      fixture.source.raw(
        `SELECT CAST(ID AS CHAR) AS id FROM ${table} WHERE STATUSID IN (SELECT DATA_ID FROM OSSYS_ENTITY_RECORD WHERE IS_ACTIVE = 0) ORDER BY ID`,
      ),
    ])) as [[{ n: number }[]], [{ id: string }[]]];
    expect(rejected.length).toBeGreaterThan(0);
    expect((await cli('run')).code).toBe(ExitCode.ok);
    expect((await cli('verify')).code).toBe(ExitCode.ok);
    const out = join(fixture.dir, 'page', 'run.html');
    const written = await cli('report', '--out', out);
    expect(written.code, written.stderr).toBe(ExitCode.ok);
    const runId = String(fixture.config.runId);
    const report = JSON.parse(
      await readFile(join(fixture.dir, '.ferry', `${runId}.report.json`), 'utf8'),
    ) as RunReport;

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${out}`);
    expect(requests).toEqual([`file://${out}`]);
    expect(await page.locator('#run-id').textContent()).toBe(runId);
    expect(await page.locator('#run-status').textContent()).toBe('completed');
    const totals = await page.locator('#totals tbody td').allTextContents();
    const t = report.totals;
    expect(totals).toEqual([t.rowsRead, t.rowsWritten, t.rowsRejected, t.rowsFiltered].map(count));

    const trs = await page.locator('#entities tbody tr').all();
    const rows = await Promise.all(trs.map((tr) => tr.locator('td').allTextContents()));
    expect(rows.map((r) => r.slice(0, 6))).toEqual(
      report.entities.map((e) => [
        e.entity,
        e.status,
        ...[e.rowsRead, e.rowsWritten, e.rowsRejected, e.rowsFiltered].map(count),
      ]),
    );
    const order = rows.find((r) => r[0] === 'Sales.Order')!;
    expect(order[2]).toBe(count(Number(all[0]!.n)));
    expect(order[4]).toBe(count(rejected.length));

    const rejects = await page.locator('#rejects tbody tr td').allTextContents();
    expect(rejects.slice(0, 4)).toEqual(['Sales.Order', 'StatusId', rejects[2], count(rejected.length)]);
    const keys = rejects[4]!.split(', ');
    expect(keys).toEqual(rejected.slice(0, 5).map((r) => r.id));

    const verified = await page.locator('#verify tbody tr td:last-child').allTextContents();
    expect(verified).toHaveLength(report.entities.filter((e) => !e.entity.includes('#')).length);
    expect(new Set(verified)).toEqual(new Set(['ok']));
    expect(await page.locator('#throughput-chart rect.bar').count()).toBe(report.entities.length);
    const labels = await page.locator('#throughput-chart text').allTextContents();
    for (const e of report.entities) expect(labels).toContain(e.entity);

    const shot = await page.screenshot({ fullPage: true });
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    expect(shot.length).toBeGreaterThan(20_000);
    // The screenshot holds what was checked above: every entity row and total is visible, drawn inside
    // the captured page (its size read from the PNG's IHDR chunk), not hidden or clipped.
    const [width, height] = [shot.readUInt32BE(16), shot.readUInt32BE(20)];
    for (const cell of [...trs, ...(await page.locator('#totals tbody td').all())]) {
      expect(await cell.isVisible()).toBe(true);
      const box = (await cell.boundingBox())!;
      expect(box.width * box.height).toBeGreaterThan(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
    }
    await page.close();
  }, 300_000);
});
