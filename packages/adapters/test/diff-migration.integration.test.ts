// diffMigration on real databases: the O11 sample in MariaDB, PostgreSQL and SQLite migrated into
// PostgreSQL. (1) Each O11 type's canonical text is the same in the source database, in the target
// PostgreSQL and in Node: row hashes compared key by key. (2) Unchanged, a pushed-down entity costs
// one checksum query per side and fetches no row. (3) After changes in the source and the target,
// bisection names exactly the changed, inserted and deleted keys: Long Integer keys past 2^53, a Text
// key ordered differently by collation, a composite key.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MappingStats, type MappingSpec } from '@ferry/mapping';
import { SAMPLE_FIRST_ORDER_ID } from '@ferry/adapters/o11';
import { diffMigration, type EntityDiff } from '@ferry/adapters/migration';
import { knexDialect } from '../src/knex/knex-dialect.js';
import { NodeRangeReader } from '../src/migration/diff-node-read.js';
import { knexRunner, pgRunner } from '../src/migration/diff-runners.js';
import { sourceShape, targetShape } from '../src/migration/diff-shapes.js';
import { SqlSide, type KeyHash } from '../src/migration/diff-sql-side.js';
import { prepareMigration } from '../src/migration/migration-mapping.js';
import { entitySourceSpec } from '../src/migration/migration-source.js';
import {
  mariadbDatabase,
  postgresDatabase,
  sqliteDatabase,
  type TestDatabase,
} from './fixtures/test-databases.js';
import { migrateDiffSample, voucherCode, VOUCHERS, type MigratedSample } from './fixtures/diff-sample.js';

const ROWS = 150;
const byKey = (rows: readonly KeyHash[]) => new Map(rows.map((r) => [JSON.stringify(r.key), r.hash]));

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
  ['SQLite', sqliteDatabase],
])('diff, O11 on %s → PostgreSQL', (_name, factory) => {
  let source: TestDatabase;
  let sample: MigratedSample;

  beforeAll(async () => {
    source = await factory();
    sample = await migrateDiffSample(source, ROWS);
  }, 240_000);
  afterAll(async () => {
    await sample?.target.drop();
    await source?.drop();
  });

  test('every row hashes alike in the source database, the target PostgreSQL and Node', async () => {
    const { compiled, entities, runtime } = prepareMigration(sample.options);
    const knex = (sample.options.source as { knex: typeof source.knex }).knex;
    const dialect = knexDialect(knex);
    const checked: string[] = [];
    for (const entity of entities) {
      const located = entitySourceSpec(entity, sample.options.catalog, 1);
      const pushed = sourceShape(entity, compiled.spec, located, dialect);
      const run = knexRunner(knex, dialect, { entity: entity.name, table: located.table });
      const sourceSide = new SqlSide(pushed.shape, run);
      const target = await new SqlSide(
        targetShape(entity),
        pgRunner(sample.target.pool, { entity: entity.name, table: '' }),
      ).hashes({});
      const reader = new NodeRangeReader(
        entity,
        { shape: pushed.shape, columns: located.columns, run },
        runtime,
        new MappingStats(),
        sourceSide.counters,
      );
      const node = (await reader.read({}, new AbortController().signal)).rows;
      // Node's canonical text of the mapped rows is exactly PostgreSQL's of the stored rows.
      expect(byKey(node), entity.name).toEqual(byKey(target));
      if (pushed.fallback !== undefined) continue;
      const mismatched = [...byKey(await sourceSide.hashes({}))].filter(
        ([key, hash]) => byKey(target).get(key) !== hash,
      );
      // Orders pointing at the deleted static record hold NULL in the target; every other row agrees.
      expect(mismatched.length, entity.name).toBe(entity.name === 'Sales.Order' ? sample.deletedStatic : 0);
      checked.push(entity.name);
    }
    expect(sample.deletedStatic).toBeGreaterThan(0);
    expect(checked).toEqual(
      expect.arrayContaining(['Sales.Order', 'Sales.PriceRow', 'Catalog.Product', 'Catalog.Category']),
    );
  }, 120_000);

  test('unchanged: every entity equal; a pushed-down entity costs one query per side and no row', async () => {
    const report = await diffMigration(sample.options);
    expect(report.ok).toBe(true);
    for (const e of report.entities) {
      expect([e.entity, e.onlyInSource, e.onlyInTarget, e.changed, e.sourceRows]).toEqual([
        e.entity,
        [],
        [],
        [],
        e.targetRows,
      ]);
    }
    const free = (e: EntityDiff) =>
      e.cost!.source.rowsFetched + e.cost!.target.rowsFetched === 0 &&
      e.cost!.source.queries === 1 &&
      e.cost!.target.queries === 1;
    const pushed = report.entities.filter((e) => e.method === 'sql');
    // Sales.Order is pushed down but its deleted-static rows (NULL in the target) are confirmed in Node.
    expect(pushed.filter(free).map((e) => e.entity)).toEqual(
      pushed.map((e) => e.entity).filter((n) => n !== 'Sales.Order'),
    );
    expect(pushed.map((e) => e.entity)).toEqual(
      expect.arrayContaining(['Catalog.Product', 'Sales.Order', 'Sales.PriceRow']),
    );
    expect(report.entities.find((e) => e.entity === 'Sales.Voucher')).toMatchObject({
      method: 'node',
      fallback: expect.stringMatching(/Owner is a user reference/),
    });
  }, 120_000);

  test('a Date Time read in Europe/Lisbon: mapped in Node, the shifted rows and only they differ', async () => {
    const mapping = sample.options.mapping as MappingSpec;
    const lisbon: MappingSpec = {
      ...mapping,
      entities: mapping.entities.map((e) =>
        e.name !== 'Sales.Order'
          ? e
          : {
              ...e,
              attributes: {
                ...e.attributes,
                OrderedAt: { ...e.attributes['OrderedAt']!, timeZone: 'Europe/Lisbon' },
              },
            },
      ),
    };
    const report = await diffMigration({ ...sample.options, mapping: lisbon, entities: ['Sales.Order'] });
    const order = report.entities[0]!;
    expect(order).toMatchObject({ method: 'node', fallback: 'OrderedAt is shifted from Europe/Lisbon' });
    // The target holds the wall clock as UTC; read as Lisbon time it moves wherever Lisbon is not at
    // UTC (summer time, the 1912 LMT), except the O11 empty value, which is never shifted.
    const { rows } = await sample.target.pool.query<{ id: string }>(
      `SELECT id::text FROM ${sample.target.schema}."order" WHERE ordered_at <> '1900-01-01 00:00:00' ` +
        `AND (ordered_at AT TIME ZONE 'Europe/Lisbon') AT TIME ZONE 'UTC' <> ordered_at ORDER BY id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(order.changed).toEqual(rows.map((r) => [r.id]));
    expect([order.onlyInSource, order.onlyInTarget]).toEqual([[], []]);
  }, 120_000);

  test('after changes, bisection names exactly the differing keys of every key type', async () => {
    const { knex } = source;
    const t = (name: string) => sample.tables.get(name)!;
    const q = (name: string) => (source.dialect === 'mariadb' ? `\`${name}\`` : `"${name}"`);
    const order = (i: number) => (SAMPLE_FIRST_ORDER_ID + BigInt(i)).toString();
    const cast = source.dialect === 'mariadb' ? 'SIGNED' : source.dialect === 'sqlite' ? 'INTEGER' : 'bigint';
    // Orders (Long Integer keys past 2^53): three changed, one inserted as a copy of another.
    for (const i of [5, 77, 140])
      await knex.raw(
        `UPDATE ${q(t('Sales.Order'))} SET ${q('TOTAL')} = ${q('TOTAL')} + 1 WHERE ${q('ID')} = CAST(? AS ${cast})`,
        [order(i)],
      );
    const columns = sample.options.catalog.entities
      .find((e) => e.qualifiedName === 'Sales.Order')!
      .attributes.filter((a) => a.isActive)
      .map((a) => a.column)
      .filter((c) => c !== 'ID');
    await knex.raw(
      `INSERT INTO ${q(t('Sales.Order'))} (${q('ID')}, ${columns.map(q).join(', ')}) SELECT CAST(? AS ${cast}), ${columns.map(q).join(', ')} FROM ${q(t('Sales.Order'))} WHERE ${q('ID')} = CAST(? AS ${cast})`,
      [order(1000), order(2)],
    );
    // Vouchers (Text key): one changed, one deleted, one inserted; one deleted from the target.
    await knex.raw(`UPDATE ${q(t('Sales.Voucher'))} SET ${q('LABEL')} = ? WHERE ${q('CODE')} = ?`, [
      'changed',
      voucherCode(1),
    ]);
    await knex.raw(`DELETE FROM ${q(t('Sales.Voucher'))} WHERE ${q('CODE')} = ?`, [voucherCode(2)]);
    await knex.raw(
      `INSERT INTO ${q(t('Sales.Voucher'))} (${q('CODE')}, ${q('LABEL')}, ${q('AMOUNT')}) VALUES (?, ?, ?)`,
      ['ñ9999', 'new', '1.5'],
    );
    await sample.target.pool.query(`DELETE FROM ${sample.target.schema}.voucher WHERE code = $1`, [
      voucherCode(3),
    ]);
    // PriceRows (composite key): one changed, one deleted, one inserted.
    await knex.raw(
      `UPDATE ${q(t('Sales.PriceRow'))} SET ${q('PRICE')} = ? WHERE ${q('CODE')} = ? AND ${q('N')} = ?`,
      ['0.25', 'C7', 3],
    );
    await knex.raw(`DELETE FROM ${q(t('Sales.PriceRow'))} WHERE ${q('CODE')} = ? AND ${q('N')} = ?`, [
      'C8',
      4,
    ]);
    await knex.raw(
      `INSERT INTO ${q(t('Sales.PriceRow'))} (${q('CODE')}, ${q('N')}, ${q('PRICE')}) VALUES (?, ?, ?)`,
      ['C99', 0, '7.00'],
    );

    const report = await diffMigration({ ...sample.options, leafRows: 40, fanout: 4, bucketRows: 8 });
    const of = (name: string) => report.entities.find((e) => e.entity === name)!;
    expect(report.ok).toBe(false);
    expect(of('Sales.Order')).toMatchObject({
      changed: [[order(5)], [order(77)], [order(140)]],
      onlyInSource: [[order(1000)]],
      onlyInTarget: [],
    });
    expect(of('Sales.Voucher')).toMatchObject({
      changed: [[voucherCode(1)]],
      onlyInSource: [[voucherCode(3)], ['ñ9999']],
      onlyInTarget: [[voucherCode(2)]],
    });
    expect(of('Sales.PriceRow')).toMatchObject({
      changed: [['C7', '3']],
      onlyInSource: [['C99', '0']],
      onlyInTarget: [['C8', '4']],
    });
    const differing = report.entities.filter(
      (e) => e.changed.length + e.onlyInSource.length + e.onlyInTarget.length > 0,
    );
    expect(differing.map((e) => e.entity).sort()).toEqual(['Sales.Order', 'Sales.PriceRow', 'Sales.Voucher']);
    // Pushed down, bisection read a few small ranges of price rows, not the table; mapped in Node,
    // each voucher crossed the wire once (plus the keys that cut the ranges).
    expect(of('Sales.PriceRow').cost!.source.rowsFetched).toBeLessThan(2500 / 4);
    expect(of('Sales.Voucher').cost!.source.rowsFetched).toBeGreaterThanOrEqual(VOUCHERS);
    expect(of('Sales.Voucher').cost!.source.rowsFetched).toBeLessThan(VOUCHERS * 1.5);
  }, 120_000);
});
