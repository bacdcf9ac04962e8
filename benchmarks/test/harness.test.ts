// Smoke test of the benchmark harness: every case end to end on a few thousand rows, in its own
// PostgreSQL database and MariaDB source. It checks that the result is well formed and every load
// verified (row counts and checksums equal the source), never how fast anything was.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CASES } from '../src/bench-config.js';
import { pgloaderVersion } from '../src/bench-facts.js';
import { formatReport } from '../src/bench-report.js';
import { runSession, type BenchResult } from '../src/bench-session.js';

const ROWS = 3000;
// pgloader-default runs the same code path as pgloader-tuned with other WITH options; leaving it out
// keeps the smoke test near 30 s on a busy 2-core machine.
const CASES = ALL_CASES.filter((name) => name !== 'pgloader-default');
let workDir: string | undefined;

afterAll(async () => {
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe('benchmark harness', () => {
  it('runs every case on a small source and verifies every load', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'ferry-bench-test-'));
    const resultFile = join(workDir, 'result.json');
    const result = await runSession({
      sizes: [ROWS],
      runs: 1,
      cases: CASES,
      install: false,
      workDir,
      resultFile,
      batchSize: 500,
      commitEvery: 1000,
      verbose: false,
      pgDatabase: 'ferry_bench_smoke',
    });
    const saved = JSON.parse(await readFile(resultFile, 'utf8')) as BenchResult;
    expect(saved.sizes[0]?.rows).toBe(ROWS);
    expect(saved.facts.nproc).toBeGreaterThan(0);
    const size = result.sizes[0]!;
    expect(size.summaries.map((s) => s.case)).toEqual(CASES);
    const hasPgloader = pgloaderVersion() !== undefined;
    for (const record of size.runs) {
      if (record.case.startsWith('pgloader') && !hasPgloader) continue;
      expect(record.error, `${record.case}: ${record.error ?? ''}`).toBeUndefined();
      expect(record.verification?.ok).toBe(true);
      expect(record.verification?.targetRows).toBe(ROWS);
      expect(record.rowsPerSecond).toBeGreaterThan(0);
    }
    const resumed = size.runs.find((r) => r.case === 'ferry-resume')!;
    expect(resumed.rows).toBeGreaterThan(0);
    expect(resumed.rows).toBeLessThan(ROWS);
    // Commits per run: Ferry's (rows / commitEvery), none reported for the baselines.
    const summary = (name: string) => size.summaries.find((s) => s.case === name)!;
    expect(summary('ferry-copy').medianCommits).toBe(ROWS / 1000);
    expect(summary('hand-copy').medianCommits).toBeNull();
    expect(summary('ferry-copy').medianCpuMariadbS).not.toBeNull();
    expect(formatReport(result)).toContain('| ferry-copy');
    expect(formatReport(result)).toMatch(/\| commits \|/);
  }, 120_000);
});
