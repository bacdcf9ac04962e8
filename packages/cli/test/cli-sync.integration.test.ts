// `ferry sync` through the real command (issue 12): `run` a sample O11 database (MariaDB, with a
// text-keyed Brand and its Items), change 1,000 rows, insert 100 and delete 100 in O11, then
// `ferry sync --diff-file` is SIGKILLed in the middle; the next `ferry sync` resumes the saved diff
// and its report counts exactly the diff's rows; `ferry verify` then passes. Then another round:
// `ferry diff` lists exactly its keys, `ferry sync` diffs by itself and moves them, and a second sync
// finds nothing; a diff applied twice is refused as stale.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandShape, discoverO11Catalog } from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, finished, openFixture, spawnFerry, type Fixture } from './cli-harness.js';
import type { DiffReport } from '@ferry/adapters/migration';
import {
  diffKeys,
  expectedDiffKeys,
  makeSyncChanges,
  syncCounts,
  syncDiffReport,
} from '../../adapters/test/fixtures/sync-changes.js';
import type { SyncKeys } from '../../adapters/test/fixtures/sync-changes.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openFixture(
    3000,
    { batchSize: 50, commitEvery: 50, concurrency: 1 },
    { extra: brandShape, seed: 4 },
  );
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const bulk = await cli('run');
  expect(bulk.code, bulk.stderr.slice(-2000)).toBe(ExitCode.ok);
}, 300_000);
afterAll(async () => fixture?.drop());

interface SyncJson {
  syncId: string;
  status: string;
  entities: {
    entity: string;
    inserted: number;
    updated: number;
    deleted: number;
    kept: number;
    rejected: number;
  }[];
}

/** The sync's report counts exactly the keys of each kind, per entity. */
function expectCounts(report: SyncJson, keys: SyncKeys): void {
  expect(report.status).toBe('completed');
  const { got, want } = syncCounts(report.entities, keys);
  expect(got).toEqual(want);
}

describe('ferry sync', () => {
  let keys: SyncKeys;

  it('SIGKILLed in the middle, then run again: resumes the saved diff and moves exactly its rows', async () => {
    keys = await makeSyncChanges(fixture.source, await discoverO11Catalog(fixture.source), 1);
    const diff = syncDiffReport(keys, (entity) => entity);
    await writeFile(join(fixture.dir, 'diff.json'), JSON.stringify(diff));
    const before = await cli('verify');
    expect(before.code).toBe(ExitCode.findings);

    // Small commits, so the sync is still busy when killed: the product updates alone take ~50.
    await fixture.writeConfig({ batchSize: 10, commitEvery: 10 });
    const child = spawnFerry(['sync', '--diff-file', 'diff.json'], { cwd: fixture.dir, env: fixture.env });
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    // Kill once some product updates are committed.
    for (let tries = 0; ; tries++) {
      const { rows } = await fixture.target
        .query<{ n: string }>(
          `SELECT COALESCE(MAX(rows_written), 0) AS n FROM ${fixture.stateSchema}.checkpoints
          WHERE run_id LIKE '%-sync-%' AND entity = 'Catalog.Product#update'`,
        )
        .catch(() => ({ rows: [{ n: '0' }] }));
      if (Number(rows[0]!.n) >= 30) break;
      expect(exited, 'the sync ended before it was killed').toBe(false);
      expect(tries).toBeLessThan(6000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.code, killed.stdout).toBe(null);

    const second = await cli('--json', 'sync');
    expect(second.code, second.stderr.slice(-2000)).toBe(ExitCode.ok);
    expectCounts(JSON.parse(second.stdout) as SyncJson, keys);
    const verify = await cli('verify');
    expect(verify.code, verify.stdout).toBe(ExitCode.ok);
  }, 600_000);

  it('diffs by itself: `diff` lists the changed keys, `sync` moves them, a second `sync` finds nothing', async () => {
    await fixture.writeConfig();
    const round = await makeSyncChanges(fixture.source, await discoverO11Catalog(fixture.source), 2);
    const diff = await cli('--json', 'diff');
    expect(diff.code, diff.stderr.slice(-2000)).toBe(ExitCode.findings);
    expect(diffKeys(JSON.parse(diff.stdout) as DiffReport)).toEqual(expectedDiffKeys(round));

    const sync = await cli('--json', 'sync');
    expect(sync.code, sync.stderr.slice(-2000)).toBe(ExitCode.ok);
    expectCounts(JSON.parse(sync.stdout) as SyncJson, round);
    expect((await cli('verify')).code).toBe(ExitCode.ok);

    const again = await cli('sync');
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect(again.stdout).toContain('Nothing to sync');
  }, 600_000);

  it('a diff applied twice is stale: the sync fails, names why, and the next one diffs again', async () => {
    const stale = await cli('sync', '--diff-file', 'diff.json');
    expect(stale.code).toBe(ExitCode.failed);
    expect(stale.stderr).toContain('FERRY_SYNC_DIFF_STALE');
    expect(stale.stderr).toContain(
      'Nothing was written: run `ferry sync` without --diff-file, it diffs again',
    );
    const next = await cli('sync');
    expect(next.code, next.stderr).toBe(ExitCode.ok);
    expect(next.stdout).not.toContain('Resuming');
  }, 300_000);
});
