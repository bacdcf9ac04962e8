// Discovery against the sample O11 database on real SQLite, MariaDB and PostgreSQL: identifiers,
// types, references (self, many-to-many, user), static records with a deleted one, the inactive
// attribute and entity, the BPT event table, the module filter, PASSWORD never selected, and modules
// in a second database catalog (OSSYS_ESPACE.DBCATALOG_ID).

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FerryError } from '@ferry/core';
import type { O11Catalog, O11Entity } from '@ferry/mapping';
import { createSampleO11Database, discoverO11Catalog } from '@ferry/adapters/o11';
import type { SampleO11Database } from '@ferry/adapters/o11';
import { mariadbDatabase, postgresDatabase, sqliteDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

const factories = { sqlite: sqliteDatabase, mariadb: mariadbDatabase, postgres: postgresDatabase };

const entity = (catalog: O11Catalog, name: string): O11Entity => {
  const found = catalog.entities.find((e) => e.qualifiedName === name);
  if (found === undefined) throw new Error(`${name} not in catalog`);
  return found;
};
const attribute = (e: O11Entity, name: string) => e.attributes.find((a) => a.name === name);

describe.each(Object.entries(factories))('discoverO11Catalog on %s', (_name, factory) => {
  let db: TestDatabase;
  let sample: SampleO11Database;
  let catalog: O11Catalog;
  const sql: string[] = [];

  beforeAll(async () => {
    db = await factory();
    sample = await createSampleO11Database(db.knex, { rowsPerEntity: 30, seed: 11 });
    db.knex.on('query', (query: { sql: string }) => sql.push(query.sql));
    catalog = await discoverO11Catalog(db.knex);
  });
  afterAll(async () => db?.drop());

  test('lists the active model of the application modules only', () => {
    expect(catalog.entities.map((e) => e.qualifiedName).sort()).toEqual([
      'Catalog.Category',
      'Catalog.Product',
      'Catalog.ProductTag',
      'Catalog.Tag',
      'Sales.Order',
      'Sales.OrderLine',
      'Sales.OrderStatus',
    ]);
    expect(catalog.modules.map((m) => m.name).sort()).toEqual(['Catalog', 'Sales']);
    expect(catalog.userCount).toBe(sample.entities.find((e) => e.table === 'OSSYS_USER')!.rows);
    expect(catalog.tenants).toEqual([{ id: '1', name: 'Users' }]);
  });

  test('resolves physical tables, identifiers and types', () => {
    const order = entity(catalog, 'Sales.Order');
    expect(order.physicalTable).toBe(sample.entities.find((e) => e.qualifiedName === 'Sales.Order')!.table);
    expect(order.physicalTable).toMatch(/^OSUSR_[A-Z0-9]{3}_ORDER$/);
    expect(order.identifier).toBe('Id');
    expect(attribute(order, 'Id')).toMatchObject({
      type: 'rtLongInteger',
      isIdentifier: true,
      isAutoNumber: true,
      column: 'ID',
    });
    expect(attribute(order, 'Total')).toMatchObject({
      type: 'rtCurrency',
      length: 37,
      decimals: 8,
      isMandatory: false,
    });
    expect(attribute(order, 'Number')).toMatchObject({ type: 'rtText', length: 20, isMandatory: true });
    expect(attribute(order, 'DeliveryTime')?.type).toBe('rtTime');
    const product = entity(catalog, 'Catalog.Product');
    expect(attribute(product, 'Weight')).toMatchObject({ type: 'rtDecimal', length: 10, decimals: 3 });
    expect(attribute(product, 'Photo')?.type).toBe('rtBinaryData');
    expect(attribute(product, 'OldCode')).toBeUndefined(); // inactive: not in the active model
    expect(entity(catalog, 'Catalog.ProductTag').identifier).toBeUndefined();
  });

  test('resolves references: self, many-to-many, Long Integer, user, delete rules', () => {
    const parent = attribute(entity(catalog, 'Catalog.Category'), 'ParentId')!;
    expect(parent.reference).toMatchObject({ kind: 'entity', target: 'Catalog.Category' });
    expect(parent).toMatchObject({
      type: 'rtInteger',
      deleteRule: 'Ignore',
      typeCode: expect.stringMatching(/^bt.+\*.+$/),
    });
    const tag = attribute(entity(catalog, 'Catalog.ProductTag'), 'TagId')!;
    expect(tag).toMatchObject({
      deleteRule: 'Delete',
      isMandatory: true,
      reference: { target: 'Catalog.Tag' },
    });
    const orderId = attribute(entity(catalog, 'Sales.OrderLine'), 'OrderId')!;
    expect(orderId).toMatchObject({ type: 'rtLongInteger', reference: { target: 'Sales.Order' } });
    const createdBy = attribute(entity(catalog, 'Catalog.Product'), 'CreatedBy')!;
    expect(createdBy.reference?.kind).toBe('user');
    expect(createdBy.reference?.target).toBeUndefined(); // ServiceCenter is not in this catalog
    expect(createdBy.type).toBe('rtInteger');
    expect(attribute(entity(catalog, 'Catalog.Product'), 'CategoryId')?.deleteRule).toBe('Protect');
  });

  test('lists static records, the deleted one flagged', () => {
    const status = entity(catalog, 'Sales.OrderStatus');
    expect(status.dataKind).toBe('staticEntity');
    expect(status.staticRecords?.map((r) => [r.name, r.dataId, r.isActive])).toEqual([
      ['New', '1', true],
      ['Paid', '2', true],
      ['Shipped', '3', true],
      ['Cancelled', '4', false],
    ]);
  });

  test('includeInactive lists the deleted attribute and entity, flagged; never the event table', async () => {
    const full = await discoverO11Catalog(db.knex, { includeInactive: true });
    expect(attribute(entity(full, 'Catalog.Product'), 'OldCode')).toMatchObject({
      isActive: false,
      column: 'OLDCODE',
    });
    expect(entity(full, 'Sales.LegacyInvoice').isActive).toBe(false);
    expect(full.entities.some((e) => e.physicalTable.startsWith('OSEVT_'))).toBe(false);
  });

  test('filters by module and can include the system User entity without its password', async () => {
    const sales = await discoverO11Catalog(db.knex, { modules: ['sales'] });
    expect(new Set(sales.entities.map((e) => e.module))).toEqual(new Set(['Sales']));
    const withSystem = await discoverO11Catalog(db.knex, { includeSystem: true });
    const user = entity(withSystem, 'ServiceCenter.User');
    expect(user.physicalTable).toBe('OSSYS_USER');
    expect(user.attributes.map((a) => a.column)).not.toContain('PASSWORD');
    expect(attribute(entity(withSystem, 'Sales.Order'), 'CreatedBy')?.reference).toMatchObject({
      kind: 'user',
      target: 'ServiceCenter.User',
    });
  });

  test('never selects the PASSWORD column', () => {
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.filter((s) => /password/i.test(s))).toEqual([]);
    expect(sql.filter((s) => /select \*/i.test(s))).toEqual([]);
  });

  // Last: it adds the multi-catalog metadata (OSSYS_DBCATALOG, OSSYS_ESPACE.DBCATALOG_ID) to the sample.
  test('a module in a second database catalog is read from that database', async () => {
    const { knex } = db;
    await knex.schema.createTable('OSSYS_DBCATALOG', (t) => {
      t.integer('ID').primary();
      t.string('NAME', 50);
      t.string('PASSWORD', 50);
    });
    await knex('OSSYS_DBCATALOG').insert([
      { ID: 1, NAME: '(Main)', PASSWORD: 'x' },
      { ID: 2, NAME: 'OS_ARCHIVE', PASSWORD: 'x' },
    ]);
    await knex.schema.alterTable('OSSYS_ESPACE', (t) => t.integer('DBCATALOG_ID').nullable());
    await knex('OSSYS_ESPACE').update({ DBCATALOG_ID: 1 });
    await knex('OSSYS_ESPACE').where('NAME', 'Sales').update({ DBCATALOG_ID: 2 });
    const sql2: string[] = [];
    const log = (query: { sql: string }): number => sql2.push(query.sql);
    knex.on('query', log);
    const multi = await discoverO11Catalog(knex);
    knex.off('query', log);
    expect(entity(multi, 'Sales.Order').database).toBe('OS_ARCHIVE');
    expect(entity(multi, 'Catalog.Product').database).toBeUndefined();
    expect(sql2.filter((s) => /password/i.test(s))).toEqual([]);
  });
});

test('a database without O11 metadata gives a not-found FerryError', async () => {
  const db = await sqliteDatabase();
  try {
    const error: unknown = await discoverO11Catalog(db.knex).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryError);
    expect(error).toMatchObject({
      reason: 'not-found',
      code: 'FERRY_O11_METADATA_MISSING',
      entity: 'OSSYS_ESPACE',
    });
  } finally {
    await db.drop();
  }
});
