// knexSource over the sample O11 database on real SQLite, MariaDB and PostgreSQL: every entity read
// with batch sizes 1, 7 and 1000 equals the generated rows, row by row and in key order; a resumed
// read continues exactly; early break and abort release the connection; values stay exact.

import { readAll } from '@ferry/core/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FerryError } from '@ferry/core';
import type { Position, Source } from '@ferry/core';
import type { O11Catalog, O11Entity } from '@ferry/mapping';
import {
  CURRENCY_MAX,
  createSampleO11Database,
  discoverO11Catalog,
  o11KnexSource,
} from '@ferry/adapters/o11';
import { knexSource } from '@ferry/adapters/knex';
import { expectedRows } from './fixtures/o11-expected.js';
import {
  connectionsInUse,
  mariadbDatabase,
  postgresDatabase,
  sqliteDatabase,
} from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

const SEED = 5;
const ROWS = 40;
const factories = { sqlite: sqliteDatabase, mariadb: mariadbDatabase, postgres: postgresDatabase };
const keyOf = (e: O11Entity): string[] =>
  e.identifier === undefined ? ['PRODUCTID', 'TAGID'] : [e.attributes.find((a) => a.isIdentifier)!.column];

describe.each(Object.entries(factories))('knexSource on %s', (_name, factory) => {
  let db: TestDatabase;
  let catalog: O11Catalog;
  const entity = (name: string): O11Entity => catalog.entities.find((e) => e.qualifiedName === name)!;
  const source = (name: string): Source => o11KnexSource(db.knex, entity(name), { key: keyOf(entity(name)) });

  beforeAll(async () => {
    db = await factory();
    await createSampleO11Database(db.knex, { rowsPerEntity: ROWS, seed: SEED });
    catalog = await discoverO11Catalog(db.knex, { includeInactive: true });
  });
  afterAll(async () => db?.drop());

  test.each([1, 7, 1000])('reads every entity exactly, batch size %i', async (batchSize) => {
    expect(catalog.entities).toHaveLength(8);
    for (const e of catalog.entities) {
      const { rows, batches } = await readAll(source(e.qualifiedName), batchSize);
      const expected = expectedRows(e, SEED, ROWS, keyOf(e));
      expect(rows.length, e.qualifiedName).toBe(expected.length);
      expect(rows, e.qualifiedName).toEqual(expected);
      expect(batches.every((b) => b.rows.length <= batchSize && b.rowsRead === b.rows.length)).toBe(true);
    }
  });

  test('asks mysql2 and pg for rows as arrays (no driver object per row); other drivers answer objects', async () => {
    const options: unknown[] = [];
    const listen = (query: { options?: unknown }): void => void options.push(query.options);
    db.knex.on('query', listen);
    try {
      await readAll(source('Sales.Order'), 1000);
    } finally {
      db.knex.off('query', listen);
    }
    const expected = { sqlite: {}, mariadb: { rowsAsArray: true }, postgres: { rowMode: 'array' } }[_name];
    expect(options.at(-1)).toEqual(expected);
  });

  test('keeps values exact: Long Integer beyond 2^53, decimal extremes, dates at the limits, unicode, binary', async () => {
    const [first] = (await readAll(source('Sales.Order'), 2)).rows;
    expect(first).toMatchObject({
      ID: '9007199254740993',
      TOTAL: CURRENCY_MAX,
      ORDEREDAT: '1900-01-01T00:00:00',
    });
    const products = (await readAll(source('Catalog.Product'), 1000)).rows;
    expect(products[1]).toMatchObject({
      PRICE: `-${CURRENCY_MAX}`,
      CREATEDON: '3000-12-31T23:59:59',
      LAUNCHDATE: '3000-12-31',
    });
    expect(products[2]?.PRICE).toBe('0.00000001');
    expect(products.some((p) => typeof p.NAME === 'string' && p.NAME.includes('🚀'))).toBe(true);
    expect(products.some((p) => typeof p.NAME === 'string' && p.NAME.includes('e\u0301'))).toBe(true);
    expect(
      products.filter((p) => p.PHOTO instanceof Uint8Array && p.PHOTO.length === 1024).length,
    ).toBeGreaterThan(0);
    expect(products.every((p) => typeof p.ISAVAILABLE === 'boolean' && !('OLDCODE' in p))).toBe(true);
  });

  test('resumes strictly after a position, on a single and on a composite key', async () => {
    for (const name of ['Sales.Order', 'Catalog.ProductTag']) {
      const all = await readAll(source(name), 7);
      const middle = all.batches[2]!;
      expect(middle.position).toEqual({
        key: keyOf(entity(name)).map((k) => String(middle.rows.at(-1)![k])),
      });
      const resumed = await readAll(source(name), 5, JSON.parse(JSON.stringify(middle.position)) as Position);
      expect(resumed.rows).toEqual(all.rows.slice(21));
    }
  });

  test('early break and abort release the connection', async () => {
    for await (const batch of source('Sales.OrderLine').read({ batchSize: 3 })) {
      expect(batch.rows).toHaveLength(3);
      break;
    }
    expect(connectionsInUse(db.knex)).toBe(0);
    const controller = new AbortController();
    const reading = (async () => {
      for await (const _batch of source('Sales.OrderLine').read({
        batchSize: 3,
        signal: controller.signal,
      })) {
        controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ reason: 'aborted' });
    expect(connectionsInUse(db.knex)).toBe(0);
  });

  test('counts remaining rows (estimate for the whole table, exact after a position)', async () => {
    const lines = source('Sales.OrderLine');
    const total = (await readAll(lines, 1000)).rows.length;
    const exact = knexSource({
      knex: db.knex,
      table: entity('Sales.OrderLine').physicalTable,
      key: ['ID'],
      columns: ['ID'],
      count: 'exact',
    });
    expect(await exact.count!({})).toBe(total);
    expect(await exact.count!({ after: { key: ['10'] } })).toBe(total - 10);
    expect(typeof (await lines.count!({}))).toBe('number');
  });

  test('a missing table is a classified not-found FerryError naming the entity', async () => {
    const missing = knexSource({
      knex: db.knex,
      table: 'OSUSR_XXX_MISSING',
      key: ['ID'],
      columns: ['ID'],
      name: 'X.Missing',
    });
    const error: unknown = await readAll(missing, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryError);
    expect(error).toMatchObject({ reason: 'not-found', entity: 'X.Missing', code: 'FERRY_SOURCE_READ' });
  });
});
