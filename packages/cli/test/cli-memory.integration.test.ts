// Memory with binary-heavy entities (issue 14 case 9, issue 18 finding 4): a real `ferry run` over a
// Product entity holding 1 MB and 21 MB photos must peak at ≤ 200 MB RSS (the child's VmHWM), on
// MariaDB → PostgreSQL and PostgreSQL → PostgreSQL, and move every photo intact (md5 per row).

import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  ferry,
  finished,
  MARIADB_URL,
  openFixture,
  peakRss,
  physicalTable,
  spawnFerry,
} from './cli-harness.js';
import type { Fixture } from './cli-harness.js';

const MB = 1_000_000;
/** Photo sizes written over the sample's Product rows: mostly 1 MB, every fifth 21 MB (~75 MB in all). */
const photoSize = (i: number): number => (i % 5 === 4 ? 21 * MB : MB);
const PHOTOS = 15;
const RSS_LIMIT_KB = 200 * 1024;

beforeAll(async () => {
  // MariaDB's default packet limit (16 MB) refuses a 21 MB value; the server setting only grows.
  const admin = knexFactory({ client: 'mysql2', connection: MARIADB_URL });
  await admin.raw('SET GLOBAL max_allowed_packet = 67108864');
  await admin.destroy();
});

/** Runs `ferry run` and reads the child's peak resident set (VmHWM) until it exits. */
async function runMeasuringPeak(
  fixture: Fixture,
): Promise<{ code: number | null; peakKb: number; out: string }> {
  // The built command, as users run it: tsx's loader would add ~80 MB that is not Ferry's.
  const child = spawnFerry(['run'], { cwd: fixture.dir, env: fixture.env, built: true });
  const [result, peak] = await Promise.all([finished(child), peakRss(child, 25)]);
  return {
    code: result.code,
    peakKb: Math.round(peak / 1024),
    out: `${result.stdout}\n${result.stderr}`.slice(-3000),
  };
}

async function fillPhotos(fixture: Fixture): Promise<Map<string, string>> {
  const table = await physicalTable(fixture.source, 'Product');
  const expected = new Map<string, string>();
  const { createHash } = await import('node:crypto');
  for (let i = 0; i < PHOTOS; i++) {
    const photo = randomBytes(photoSize(i));
    await fixture
      .source(table)
      .update({ PHOTO: photo })
      .where({ ID: i + 1 });
    expected.set(String(i + 1), createHash('md5').update(photo).digest('hex'));
  }
  return expected;
}

async function expectBoundedRun(fixture: Fixture): Promise<void> {
  const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
  const expected = await fillPhotos(fixture);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  // 21 MB is over the mapping's default Binary Data limit (20 MiB, ODC's): raise it for this entity set.
  const mappingFile = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(mappingFile, 'utf8')) as { defaults?: Record<string, unknown> };
  mapping.defaults = { ...mapping.defaults, maxBinaryBytes: 32 * 1024 * 1024 };
  await writeFile(mappingFile, JSON.stringify(mapping, null, 2));

  const { code, peakKb, out } = await runMeasuringPeak(fixture);
  expect(code, out).toBe(ExitCode.ok);
  expect(peakKb, `peak RSS ${peakKb} kB`).toBeGreaterThan(0);
  console.log(`ferry run peak RSS (VmHWM): ${Math.round(peakKb / 1024)} MB`);
  expect(peakKb, `peak RSS ${Math.round(peakKb / 1024)} MB`).toBeLessThanOrEqual(RSS_LIMIT_KB);

  const { rows } = await fixture.target.query<{ id: string; digest: string }>(
    `SELECT id::text AS id, md5(photo) AS digest FROM ${fixture.targetSchema}.product WHERE id <= $1`,
    [PHOTOS],
  );
  expect(new Map(rows.map((r) => [r.id, r.digest]))).toEqual(expected);
  const verify = await cli('verify');
  expect(verify.code, verify.stdout).toBe(ExitCode.ok);
}

describe('binary-heavy entity, peak RSS ≤ 200 MB', () => {
  let fixture: Fixture | undefined;
  afterAll(async () => fixture?.drop());

  it('MariaDB → PostgreSQL with 1 MB and 21 MB photos', async () => {
    fixture = await openFixture(40, { concurrency: 1 });
    await expectBoundedRun(fixture);
    await fixture.drop();
    fixture = undefined;
  }, 600_000);

  it('PostgreSQL → PostgreSQL with 1 MB and 21 MB photos', async () => {
    fixture = await openFixture(40, { concurrency: 1 }, {}, undefined, 'postgres');
    await expectBoundedRun(fixture);
    await fixture.drop();
    fixture = undefined;
  }, 600_000);
});
