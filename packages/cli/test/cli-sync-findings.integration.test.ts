// Issue 12's new-user findings, through the real commands on the sample O11 database (MariaDB →
// PostgreSQL): a sync that cannot restore a key held by two source rows says so and exits 3 (as
// `verify` does), never "Nothing to sync"; a diff file or keys file that cannot be read or parsed is a
// FerryError naming the option and the path, never the file's content, with exit 2.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { openDuplicateKeyFixture } from './duplicate-key-fixture.js';
import { ferry, physicalTable, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openDuplicateKeyFixture(10, { batchSize: 50 });
}, 120_000);
afterAll(async () => fixture?.drop());

describe('ferry sync with a key held by more source rows than target rows', () => {
  it('warns, does not claim the target holds the source, and exits 3 as verify does', async () => {
    // Run without the twin (C20, 20), then put the twin back in the source.
    const table = await physicalTable(fixture.source, 'PriceRow');
    await fixture.source.raw(`DELETE FROM \`${table}\` WHERE CODE = 'C20' AND N = 20 LIMIT 1`);
    const ran = await cli('run', '-e', 'Sales.PriceRow');
    expect(ran.code, ran.stderr).toBe(ExitCode.ok);
    await fixture.source.raw(`INSERT INTO \`${table}\` (CODE, N, PRICE) VALUES ('C20', 20, 1020.5)`);

    const verify = await cli('verify', '-e', 'Sales.PriceRow');
    expect(verify.code, verify.stdout).toBe(ExitCode.findings);
    const sync = await cli('sync', '-e', 'Sales.PriceRow');
    expect(sync.stderr).toContain('1 key(s) held by more source rows than target rows');
    expect(sync.stdout).not.toContain('Nothing to sync');
    expect(sync.stderr).toContain('The target still differs from the source');
    expect(sync.code, sync.stdout + sync.stderr).toBe(ExitCode.findings);
    const json = await cli('--json', 'sync', '-e', 'Sales.PriceRow');
    expect(json.code).toBe(ExitCode.findings);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'keys-left', keysLeft: 1 });
  }, 300_000);
});

describe('a diff file or keys file that cannot be used', () => {
  it('sync --diff-file with a file that is not JSON: FERRY_INPUT_FILE, exit 2, no content echoed', async () => {
    await writeFile(join(fixture.dir, 'garbage.json'), 'garbage secret-value 4111');
    const result = await cli('sync', '--diff-file', 'garbage.json');
    expect(result.code, result.stderr).toBe(ExitCode.usage);
    expect(result.stderr).toContain('FERRY_INPUT_FILE');
    expect(result.stderr).toMatch(/--diff-file \S*garbage\.json: the file is not valid JSON/);
    expect(result.stdout + result.stderr).not.toMatch(/secret-value|4111/);
  });

  it('sync --diff-file with a missing file: FERRY_INPUT_FILE, exit 2', async () => {
    const result = await cli('sync', '--diff-file', 'nothere.json');
    expect(result.code, result.stderr).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(
      /--diff-file \S*nothere\.json: the file does not exist \[FERRY_INPUT_FILE\]/,
    );
  });

  it('diff --keys-file in a missing folder: FERRY_INPUT_FILE, exit 2', async () => {
    const result = await cli('diff', '--keys-file', '/nonexistent/dir/k.ndjson');
    expect(result.code, result.stderr).toBe(ExitCode.usage);
    expect(result.stderr).toContain(
      '--keys-file /nonexistent/dir/k.ndjson: the file does not exist [FERRY_INPUT_FILE]',
    );
  });
});

describe('a diff file already applied', () => {
  it('is refused as stale before anything is written, naming its keys, and the next sync diffs again', async () => {
    const ran = await cli('run', '-e', 'Catalog.Tag');
    expect(ran.code, ran.stderr).toBe(ExitCode.ok);
    const table = await physicalTable(fixture.source, 'Tag');
    const ids = (await fixture.source(table).select('ID').orderBy('ID')) as { ID: number }[];
    const [first, last] = [ids[0]!.ID, ids[ids.length - 1]!.ID];
    await fixture.source(table).where({ ID: first }).update({ LABEL: 'changed' });
    await fixture.source(table).where({ ID: last }).delete();
    const diff = await cli('--json', 'diff', '-e', 'Catalog.Tag');
    expect(diff.code, diff.stderr).toBe(ExitCode.findings);
    await writeFile(join(fixture.dir, 'diff.json'), diff.stdout);
    const sync = await cli('sync', '-e', 'Catalog.Tag');
    expect(sync.code, sync.stderr).toBe(ExitCode.ok);

    const checkpoints = `SELECT count(*)::int AS n FROM ${fixture.stateSchema}.checkpoints`;
    const before = (await fixture.target.query<{ n: number }>(checkpoints)).rows[0]!.n;
    const stale = await cli('sync', '-e', 'Catalog.Tag', '--diff-file', 'diff.json');
    expect(stale.code, stale.stdout).toBe(ExitCode.failed);
    expect(stale.stderr).toContain('FERRY_SYNC_DIFF_STALE');
    expect(stale.stderr).toContain(`the diff is stale: 1 key(s) to delete no longer in the target (${last})`);
    expect(stale.stderr).toContain('Nothing was written: run `ferry sync` without --diff-file');
    expect((await fixture.target.query<{ n: number }>(checkpoints)).rows[0]!.n).toBe(before);
    const next = await cli('sync', '-e', 'Catalog.Tag');
    expect(next.code, next.stdout + next.stderr).toBe(ExitCode.ok);
    expect(next.stdout).toContain('Nothing to sync');
  }, 300_000);
});
