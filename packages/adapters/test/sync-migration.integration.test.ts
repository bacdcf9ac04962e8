// Issue 12's acceptance, on real databases (MariaDB → PostgreSQL and PostgreSQL → PostgreSQL): a full
// run of an O11-shaped source of over 200k rows (a text-key entity, a composite-key entity, a
// self-referencing entity), then 1,000 rows changed, 100 inserted and 100 deleted in the source.
// diffMigration lists exactly those keys; syncMigration applied to the diff moves exactly those rows (its report counts them; every other
// target row keeps its xmin, i.e. was not rewritten), under foreign keys that make a wrong order fail,
// and verify then passes. A sync SIGKILLed in the middle and run again is still exact.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { brandShape, createSampleO11Database, discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { diffMigration, o11MigrationPlan, syncMigration, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions, SyncReport } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';
import { openTarget, sampleMapping, sampleUserMap, type TestTarget } from './fixtures/migration-setup.js';
import {
  diffKeys,
  expectedDiffKeys,
  makeSyncChanges,
  SYNC_ENTITIES,
  syncCounts,
  syncTotals,
} from './fixtures/sync-changes.js';
import type { SyncKeys } from './fixtures/sync-changes.js';

// FERRY_SYNC_ROWS=3000 for a quick run while working on sync; the acceptance is the default.
const ROWS = Number(process.env.FERRY_SYNC_ROWS ?? 34_000);
const MIN_ROWS = process.env.FERRY_SYNC_ROWS === undefined ? 200_000 : 0;
const CHILD = fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url));

/** Per table, key text (`a/b`) → xmin: a row rewritten by the sync gets a new xmin. */
type Versions = Map<string, Map<string, string>>;

async function versions(target: TestTarget, tables: ReadonlyMap<string, TargetTable>): Promise<Versions> {
  const all: Versions = new Map();
  for (const [entity, table] of tables) {
    const key = table.key.map((k) => `"${k}"::text`).join(`, '/', `);
    const { rows } = await target.pool.query<{ k: string; x: string }>(
      `SELECT concat(${key}) AS k, xmin::text AS x FROM "${table.schema}"."${table.table}"`,
    );
    all.set(entity, new Map(rows.map((r) => [r.k, r.x])));
  }
  return all;
}

/** Keys rewritten or added, and keys gone, between two snapshots. */
function touched(before: Versions, after: Versions, entity: string): { written: string[]; gone: string[] } {
  const was = before.get(entity)!;
  const now = after.get(entity)!;
  return {
    written: [...now]
      .filter(([k, x]) => was.get(k) !== x)
      .map(([k]) => k)
      .sort(),
    gone: [...was.keys()].filter((k) => !now.has(k)).sort(),
  };
}

const sorted = (set: Set<string>): string[] => [...set].sort();

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('ferry sync, O11 on %s → PostgreSQL', (_name, factory) => {
  let source: TestDatabase;
  let target: TestTarget;
  let options: O11MigrationOptions & { checkpoints: PostgresCheckpointStore };
  let tables: ReadonlyMap<string, TargetTable>;
  let folder: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([factory(), openTarget()]);
    folder = await mkdtemp(join(tmpdir(), 'ferry-sync-'));
    await createSampleO11Database(source.knex, { rowsPerEntity: ROWS, seed: 12, extra: brandShape });
    const catalog = await discoverO11Catalog(source.knex);
    options = {
      source: { knex: source.knex },
      catalog,
      mapping: sampleMapping(catalog),
      target: { pool: target.pool, schema: target.schema, mode: 'copy', createTables: true },
      checkpoints: new PostgresCheckpointStore({ pool: target.pool, schema: target.ferrySchema }),
      userMap: await sampleUserMap(source.knex),
      entities: SYNC_ENTITIES,
    };
    const planned = await o11MigrationPlan(options);
    tables = planned.tables;
    const bulk = await run(planned.plan, { runId: 'bulk', retry: { retries: 0 } });
    expect(bulk.status).toBe('completed');
    // Foreign keys as an ODC app has them, so a delete or insert out of order fails the sync.
    const s = target.schema;
    for (const [child, column, parent] of [
      ['item', 'brand_code', 'brand'],
      ['product', 'category_id', 'category'],
      ['product_tag', 'product_id', 'product'],
      ['product_tag', 'tag_id', 'tag'],
      ['order_line', 'order_id', 'order'],
      ['order_line', 'product_id', 'product'],
    ] as const)
      await target.pool.query(
        `ALTER TABLE "${s}"."${child}" ADD FOREIGN KEY ("${column}") REFERENCES "${s}"."${parent}"`,
      );
  }, 900_000);
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  /** The report's counts and the rows the sync rewrote and removed, against the diff's keys. */
  const expectExact = (report: SyncReport, keys: SyncKeys, before: Versions, after: Versions): void => {
    const errors = report.run.entities.flatMap((e) =>
      e.error === undefined ? [] : [`${e.entity}: ${e.error.code} ${e.error.message}`],
    );
    expect(report.status, errors.join('\n')).toBe('completed');
    const { got, want } = syncCounts(report.entities, keys);
    expect(got).toEqual(want);
    for (const [entity, k] of keys) {
      const t = touched(before, after, entity);
      expect({ entity, ...t }).toEqual({
        entity,
        written: [...sorted(k.onlyInSource), ...sorted(k.changed)].sort(),
        gone: sorted(k.onlyInTarget),
      });
    }
  };

  test('1,000 changed, 100 inserted, 100 deleted: sync moves exactly those rows and verify passes', async () => {
    const before = await versions(target, tables);
    const rowsBefore = [...before.values()].reduce((n, m) => n + m.size, 0);
    expect(rowsBefore).toBeGreaterThanOrEqual(MIN_ROWS);
    const keys = await makeSyncChanges(source.knex, options.catalog, 1);
    expect(syncTotals(keys)).toEqual({ changed: 1000, onlyInSource: 100, onlyInTarget: 100 });
    const stale = await verifyMigration(options);
    expect(stale.ok).toBe(false);
    // diff lists exactly those keys.
    const diff = await diffMigration(options);
    expect(diffKeys(diff)).toEqual(expectedDiffKeys(keys));

    const report = await syncMigration({ ...options, runId: 'sync-1', run: { retry: { retries: 0 } } }, diff);
    const after = await versions(target, tables);
    expectExact(report, keys, before, after);
    const verified = await verifyMigration(options);
    expect(verified.entities.filter((e) => !e.ok).map((e) => e.entity)).toEqual([]);
    expect((await diffMigration(options)).ok).toBe(true);

    // The same sync id again: already completed, nothing rewritten.
    const again = await syncMigration({ ...options, runId: 'sync-1' }, diff);
    expect(again.status).toBe('already-completed');
    expect(await versions(target, tables)).toEqual(after);
  }, 600_000);

  test('a sync SIGKILLed in the middle, then run again, is still exact', async () => {
    const before = await versions(target, tables);
    const keys = await makeSyncChanges(source.knex, options.catalog, 2);
    const diffFile = join(folder, 'diff.json');
    const diff = await diffMigration(options);
    expect(diffKeys(diff)).toEqual(expectedDiffKeys(keys));
    await writeFile(diffFile, JSON.stringify(diff));
    const database =
      source.dialect === 'mariadb'
        ? ((await source.knex.raw('SELECT DATABASE() AS d'))[0] as { d: string }[])[0]!.d
        : ((await source.knex.raw('SELECT current_schema() AS d')).rows as { d: string }[])[0]!.d;
    const args = {
      dialect: source.dialect,
      database,
      targetSchema: target.schema,
      ferrySchema: target.ferrySchema,
      diffFile,
      runId: 'sync-2',
      batchSize: 50,
    };
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CHILD, JSON.stringify(args)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let saved = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      saved += chunk
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('saved Catalog.Product#update')).length;
      // In the middle of the product updates (about 10 commits of 50 rows): kill, no goodbye.
      if (saved >= 4) child.kill('SIGKILL');
    });
    expect(await killed, stderr.slice(-2000)).toBe('SIGKILL');
    const partial = await options.checkpoints.list('sync-2');
    const product = partial.find((c) => c.entity === 'Catalog.Product#update');
    expect(product?.status).toBe('running');

    const report = await syncMigration({ ...options, runId: 'sync-2', run: { retry: { retries: 0 } } }, diff);
    expectExact(report, keys, before, await versions(target, tables));
    const verified = await verifyMigration(options);
    expect(verified.entities.filter((e) => !e.ok).map((e) => e.entity)).toEqual([]);
    expect((await diffMigration(options)).ok).toBe(true);
  }, 600_000);

  test('deletes kept (report policy): counted and listed, rows stay; a later sync deletes them', async () => {
    const keys = await makeSyncChanges(source.knex, options.catalog, 3);
    const diff = await diffMigration(options);
    const reported = await syncMigration({ ...options, runId: 'sync-3', deletes: 'report' }, diff);
    expect(reported.status).toBe('completed');
    for (const [entity, k] of keys) {
      const e = reported.entities.find((x) => x.entity === entity)!;
      expect([entity, e.deleted, e.kept]).toEqual([entity, 0, k.onlyInTarget.size]);
      expect((e.keptKeys ?? []).map((key) => key.join('/')).sort()).toEqual([...k.onlyInTarget].sort());
    }
    const left = await diffMigration(options);
    expect(diffKeys(left)).toEqual(
      expectedDiffKeys(
        new Map([...keys].map(([e, k]) => [e, { ...k, onlyInSource: new Set(), changed: new Set() }])),
      ),
    );
    const deleted = await syncMigration({ ...options, runId: 'sync-4' }, left);
    expect(deleted.entities.reduce((n, e) => n + e.deleted, 0)).toBe(syncTotals(keys).onlyInTarget);
    expect((await diffMigration(options)).ok).toBe(true);
  }, 600_000);
});
