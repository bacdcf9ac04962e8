// `ferry demo` end to end: SQLite O11 sample → embedded PGlite through the real pg sink, discover,
// check, run, verify. The report must say every entity verified, and the temp folder must be gone.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry } from './cli-harness.js';

describe('ferry demo', () => {
  it('migrates the sample into the embedded PostgreSQL and verifies it', async () => {
    const result = await ferry(['demo', '--rows', '2000'], { cwd: tmpdir() });
    expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
    const steps = ['discover', 'assess', 'check', 'plan', 'run', 'verify'].map((s) => `== ferry ${s}`);
    expect(steps.map((s) => result.stdout.indexOf(s))).toEqual(
      steps.map((s) => result.stdout.indexOf(s)).sort((a, b) => a - b),
    );
    for (const step of steps) expect(result.stdout).toContain(step);
    // The demo explains its totals: the sample's rows = migrated entities' rows + the others listed,
    // and read = written + rejected + filtered as the summary's total line says.
    const n = (text: string): number => Number(text.replace(/,/g, ''));
    const sampleRows = n(/([\d,]+) O11 rows in 2 modules/.exec(result.stdout)![1]!);
    const [, held, inMigrated] = /the sample holds ([\d,]+) rows; ([\d,]+) of them/.exec(result.stdout)!;
    expect(n(held!)).toBe(sampleRows);
    const others = [...result.stdout.matchAll(/^ {2}\S+ \(([\d,]+) rows\): /gm)].map((m) => n(m[1]!));
    expect(others.length).toBeGreaterThanOrEqual(3);
    expect(n(inMigrated!) + others.reduce((a, b) => a + b, 0)).toBe(sampleRows);
    const total = /^total\s+completed\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)/m.exec(result.stdout)!;
    expect(result.stdout).toContain(
      `Every row read is written, rejected or filtered: ${total[1]} = ${total[2]} + ${total[3]} + ${total[4]}.`,
    );
    expect(result.stdout).toContain('Catalog.Category#pass2 is the second pass of Catalog.Category');
    const mapped = Number(/Wrote (\d+) entity mapping/.exec(result.stdout)?.[1]);
    expect(mapped).toBeGreaterThanOrEqual(5);
    expect(result.stdout).toContain(`Model check passed: ${mapped} entities consistent.`);
    expect(result.stdout).toMatch(/total\s+completed/);
    expect(result.stdout).toContain(`Verified: ${mapped} entities match the mapped source.`);
    for (const entity of [
      'Catalog.Category',
      'Catalog.Tag',
      'Catalog.Product',
      'Sales.Order',
      'Sales.OrderLine',
    ])
      expect(result.stdout).toMatch(
        new RegExp(`${entity.replace('.', '\\.')}\\s+\\S+\\s+[\\d,]+\\s+[\\d,]+\\s+\\w+\\s+ok`),
      );
    const dir = /in (\/\S+ferry-demo-\w+)\)/.exec(result.stdout)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
  }, 180_000);

  // Regression (demo hang): with ProductTag (1.5 × rows) over one batch of 5,000, the second batch's
  // parent check waited for the first batch's open transaction, which pglite-socket serialises.
  it('--keep keeps the folder and says what to do next; entities of several batches complete', async () => {
    const result = await ferry(['demo', '--rows', '4000', '--keep'], { cwd: tmpdir() });
    const dir = /Kept (\/\S+ferry-demo-\w+):/.exec(result.stdout)?.[1];
    expect(dir, result.stdout + result.stderr).toBeDefined();
    try {
      expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
      expect(result.stdout).toMatch(/Catalog\.ProductTag\s+\S+\s+6,000\s+6,000\s+\w+\s+ok/);
      for (const file of ['o11.sqlite', 'ferry.config.json', 'ferry.mapping.json', '.ferry/demo.report.json'])
        expect(existsSync(join(dir!, file)), file).toBe(true);
      expect(result.stdout).toContain(`cd ${dir!}`);
      expect(result.stdout).toContain('ferry report');
      expect(result.stdout).toContain('ferry init --source');
    } finally {
      await rm(dir!, { recursive: true, force: true });
    }
  }, 180_000);
});
