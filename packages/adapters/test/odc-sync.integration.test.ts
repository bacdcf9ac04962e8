// `ferry sync` on an ODC REST target (issue 12): after a full load of Catalog.Brand (a text key) and
// Catalog.Item (a Protect reference to it, remapped to the app's ids) into the fake ODC app, a brand
// is deleted in O11 with all its items, a brand and items are added and items change. The sync plan
// upserts through Upsert<Entity> and deletes through Delete<Entity> (children first: the fake app
// refuses, 409, to delete a record still referenced), and the app then holds exactly the O11 rows.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import { compileMapping, generateMapping, planFromMapping, staticMapsFromCatalog } from '@ferry/mapping';
import type { CompiledEntity, CompiledMapping, O11Catalog } from '@ferry/mapping';
import { brandShape, createSampleO11Database, discoverO11Catalog } from '@ferry/adapters/o11';
import { idMapParentKeys, odcRestDeleteSink, odcRestSink, RequestLimiter } from '@ferry/adapters/http';
import { MemoryIdMapStore, startFakeOdcServer } from '@ferry/adapters/http/testing';
import type { FakeOdcServer } from '@ferry/adapters/http/testing';
import {
  entitySourceSpec,
  keyListSource,
  keyRowsSource,
  migrationSource,
  syncPlan,
} from '@ferry/adapters/migration';
import type { DiffReport } from '@ferry/adapters/migration';
import { postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

const ENTITIES = ['Catalog.Brand', 'Catalog.Item'];
const odcName = (entity: CompiledEntity): string => entity.name.split('.')[1]!;

describe('sync into an ODC app over REST', () => {
  let source: TestDatabase;
  let server: FakeOdcServer;
  let catalog: O11Catalog;
  let compiled: CompiledMapping;
  const idMap = new MemoryIdMapStore();
  const limiter = new RequestLimiter({ concurrency: 2 });

  // Ids go to the id map under the entity's name, not the sync pipeline's (`Catalog.Brand#insert`).
  const upsert = (entity: CompiledEntity) =>
    odcRestSink({
      baseUrl: server.url,
      entity: odcName(entity),
      idMap,
      idMapEntity: entity.name,
      limiter,
      key: entity.key.map((k) => k.target),
    });
  const runtime = () => ({ statics: staticMapsFromCatalog(catalog), idMap, parents: idMapParentKeys(idMap) });

  beforeAll(async () => {
    source = await postgresDatabase();
    // 200 products: 10 brands of 10 items.
    await createSampleO11Database(source.knex, { rowsPerEntity: 200, seed: 5, extra: brandShape });
    catalog = await discoverO11Catalog(source.knex);
    // Brand and Item only: identity remap needs a single identifier, which ProductTag lacks.
    const generated = generateMapping(catalog, { identity: 'remap' });
    const named = (e: (typeof generated.entities)[number]): string =>
      'module' in e.source ? `${e.source.module}.${e.source.entity}` : '';
    compiled = compileMapping({
      ...generated,
      entities: generated.entities.filter((e) => ENTITIES.includes(named(e))),
    });
    server = await startFakeOdcServer({ references: { Item: { brand_code: 'Brand' } } });
    const plan = planFromMapping(compiled, {
      source: (entity, pass) => migrationSource({ knex: source.knex }, entity, catalog, pass),
      sink: upsert,
      runtime: runtime(),
      entities: ENTITIES,
      batchSize: 25,
    });
    const bulk = await run(plan, { runId: 'bulk', checkpoints: new MemoryCheckpointStore() });
    expect(bulk.status).toBe('completed');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await source?.drop();
  });

  const table = (name: string): string =>
    catalog.entities.find((e) => e.qualifiedName === name)!.physicalTable;

  test('upserts the new and changed rows and deletes the gone ones, children first', async () => {
    const [brand, item] = [table('Catalog.Brand'), table('Catalog.Item')];
    expect(server.rows('Item').size).toBe(100);
    const goneItems = (
      await source.knex(item).where('BRANDCODE', 'BR-000003').select<{ ID: number }[]>('ID')
    ).map((r) => String(r.ID));
    await source.knex(item).where('BRANDCODE', 'BR-000003').delete();
    await source.knex(brand).where('ID', 'BR-000003').delete();
    await source.knex(brand).insert({
      ID: 'NEW-1',
      NAME: 'Nova',
      FOUNDED: '2026-01-02 00:00:00',
      RATING: '1.25',
      ISACTIVE: 1,
      LOGO: Buffer.from([1]),
    });
    await source
      .knex(item)
      .insert(
        [101, 102, 103].map((id) => ({ ID: id, BRANDCODE: 'NEW-1', NAME: `New ${id}`, PRICE: '1.50000000' })),
      );
    await source
      .knex(item)
      .whereIn('ID', ['1', '2'])
      .update({ PRICE: '99999999999999999999999999999.99999999', BRANDCODE: 'NEW-1' });
    const diff: DiffReport = {
      ok: false,
      entities: [
        {
          entity: 'Catalog.Brand',
          table: 'brand',
          onlyInSource: [['NEW-1']],
          onlyInTarget: [['BR-000003']],
          changed: [],
          sourceRows: 10,
          targetRows: 10,
        },
        {
          entity: 'Catalog.Item',
          table: 'item',
          onlyInSource: [['101'], ['102'], ['103']],
          onlyInTarget: goneItems.map((k) => [k]),
          changed: [['1'], ['2']],
          sourceRows: 93,
          targetRows: 100,
        },
      ],
    };
    const entities = ENTITIES.map((name) => compiled.entity(name));
    const plan = syncPlan(entities, diff, 'delete', {
      source: (entity, pass, keys) =>
        keyRowsSource(source.knex, entitySourceSpec(entity, catalog, pass), keys),
      keys: (entity, _action, keys) =>
        keyListSource(
          entity.name,
          keys,
          entity.key.map((k) => k.target),
        ),
      sink: upsert,
      delete: (entity) =>
        odcRestDeleteSink({
          baseUrl: server.url,
          entity: odcName(entity),
          limiter,
          key: entity.key.map((k) => k.target),
        }),
      runtime: runtime(),
      batchSize: 4,
    });
    const result = await run(plan, {
      runId: 'sync',
      checkpoints: new MemoryCheckpointStore(),
      retry: { retries: 0 },
    });
    expect(result.status, JSON.stringify(result.entities.map((e) => e.error?.message))).toBe('completed');
    const written = Object.fromEntries(result.entities.map((e) => [e.entity, e.rowsWritten]));
    expect(written).toEqual({
      'Catalog.Brand#insert': 1,
      'Catalog.Brand#update': 0,
      'Catalog.Item#insert': 3,
      'Catalog.Item#update': 2,
      'Catalog.Brand#delete': 1,
      'Catalog.Item#delete': 10,
    });

    // The app holds exactly the O11 keys, the changed values and references on its own ids.
    const brands = (await source.knex(brand).select<{ ID: string }[]>('ID')).map((r) => r.ID).sort();
    const items = (await source.knex(item).select<{ ID: number }[]>('ID')).map((r) => String(r.ID)).sort();
    expect([...server.rows('Brand').keys()].sort()).toEqual(brands);
    expect([...server.rows('Item').keys()].sort()).toEqual(items);
    const nova = server.rows('Brand').get('NEW-1')!.id;
    for (const key of ['1', '2', '101'])
      expect(server.rows('Item').get(key)!.attributes['brand_code']).toBe(nova);
    expect(server.rows('Item').get('1')!.attributes['price']).toBe('99999999999999999999999999999.99999999');
    // Children's deletes before the parent's: every Item delete request came before the Brand one.
    const methods = server.log.entries.map((e) => e.method);
    expect(methods.lastIndexOf('DeleteItem')).toBeLessThan(methods.indexOf('DeleteBrand'));
  });

  test('a delete the app refuses (a record still referenced) fails with 409; a repeated delete is no error', async () => {
    const sink = odcRestDeleteSink({
      baseUrl: server.url,
      entity: 'Brand',
      limiter,
      key: 'id',
      retry: { retries: 0 },
    });
    const context = {
      entity: 'Catalog.Brand',
      runId: 't',
      sequence: 1,
      signal: new AbortController().signal,
    };
    const batch = (keys: string[]) => ({
      rows: keys.map((id) => ({ id })),
      position: null,
      rowsRead: keys.length,
    });
    await expect(sink.write(batch(['BR-000004']), context)).rejects.toMatchObject({ code: 'FERRY_HTTP_409' });
    expect(server.rows('Brand').has('BR-000004')).toBe(true);
    await sink.write(batch(['BR-000003', 'NOPE']), context);
    expect(sink.stats).toEqual({ requests: 1, deleted: 0, absent: 2 });
  });
});
