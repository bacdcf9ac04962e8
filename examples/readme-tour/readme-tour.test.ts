// The README's "five-minute tour" is the code users copy first, so it is a program that runs here:
// the README's block must be byte-identical to tour.ts below its opening comment, tour.ts must
// type-check under the repository's strict settings, and run as a child process against a sample O11
// database on the local MariaDB into a fresh PostgreSQL database, exit 0 by itself (its pools closed)
// within the time limit, and leave target rows equal, by key, to the rows the sample's generators made.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkSampleModules,
  freshPgDatabase,
  freshSampleMariaDb,
} from '../../packages/adapters/test/fixtures/fresh-databases.js';
import {
  SAMPLE_DATA_ENTITIES,
  sampleEntityEqual,
} from '../../packages/adapters/test/fixtures/sample-target-check.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOUR = join(root, 'examples', 'readme-tour', 'tour.ts');
const LIMIT_MS = 90_000;
const LINGER_MS = 5_000;
const ROWS = 150;
const SEED = 7;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The first ```ts block after the tour's heading. */
function readmeBlock(readme: string): string {
  const heading = readme.indexOf('## A five-minute tour of the library');
  expect(heading, 'the README has no tour heading').toBeGreaterThan(-1);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(heading));
  expect(match, 'the tour has no ts block').not.toBeNull();
  return match![1]!;
}

/** tour.ts without its opening comment (the lines up to the first blank line). */
function exampleBody(source: string): string {
  const blank = source.indexOf('\n\n');
  expect(
    source
      .slice(0, blank)
      .split('\n')
      .every((l) => l.startsWith('//')),
  ).toBe(true);
  return source.slice(blank + 2);
}

/**
 * Runs the tour; kills it at the limit, so a process that does not exit by itself fails. `lingerMs`
 * is the time from its last output (the verify lines) to its exit: a pg pool left open would only let
 * the process go after its 10 s idle timeout, a knex pool never.
 */
function runTour(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; timedOut: boolean; out: string; lingerMs: number }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', TOUR], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let lastOutput = performance.now();
  const collect = (chunk: Buffer): void => {
    out += chunk.toString();
    lastOutput = performance.now();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, out, lingerMs: performance.now() - lastOutput });
    });
  });
}

describe('README tour', () => {
  it('the README block is tour.ts, byte for byte', async () => {
    const readme = readmeBlock(await readFile(join(root, 'README.md'), 'utf8'));
    expect(readme).toBe(exampleBody(await readFile(TOUR, 'utf8')));
  });

  it('type-checks under the repository settings', async () => {
    const dir = await mkdtemp(join(root, 'examples', '.tour-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', include: ['../readme-tour/tour.ts'] }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const child = spawn(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  it('runs MariaDB → PostgreSQL, exits 0 by itself, and the target equals the source', async () => {
    const id = randomBytes(4).toString('hex');
    const source = await freshSampleMariaDb(`ferry_tour_${id}`, { rowsPerEntity: ROWS, seed: SEED });
    cleanups.push(() => source.drop());
    const target = await freshPgDatabase(`ferry_tour_${id}`);
    cleanups.push(() => target.drop());
    const [O11_URL, ODC_URL] = [source.url, target.url];
    const first = await runTour({ O11_URL, ODC_URL });
    expect(first.timedOut, first.out).toBe(false);
    expect(first.code, first.out).toBe(0);
    expect(first.lingerMs).toBeLessThan(LINGER_MS);
    for (const entity of SAMPLE_DATA_ENTITIES) expect(first.out).toContain(`verify ${entity}: ok`);

    // Independent of the mapping code: the generators' rows, compared by key in each module's schema.
    const checks = await checkSampleModules(O11_URL, ODC_URL, { rowsPerEntity: ROWS, seed: SEED });
    expect(checks).toEqual(checks.map(sampleEntityEqual));

    // The same run id again: the run is already complete, writes nothing and still verifies.
    const again = await runTour({ O11_URL, ODC_URL });
    expect(again.code, again.out).toBe(0);
    expect(again.out).not.toContain('rows written');
  }, 240_000);
});
