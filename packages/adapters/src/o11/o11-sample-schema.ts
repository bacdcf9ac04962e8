// DDL of the sample O11 database, per dialect: the OSSYS_* metadata tables and each entity's table
// as O11 creates it (upper-case names, NOT NULL with '' / 0 / 1900-01-01 defaults, nullable
// references, foreign keys only for the Protect and Delete rules).

import type { Knex } from 'knex';
import type { KnexDialect } from '../knex/knex-dialect.js';
import type { SampleAttribute } from './o11-sample-model.js';
import { SAMPLE_USERS_ESPACE_ID } from './o11-sample-model.js';

/** The O11 "null date": every empty Date, Time and Date Time. */
export const O11_NULL_DATE = '1900-01-01 00:00:00';

/** A sample entity with its resolved physical table and referenced tables. */
export interface PhysicalEntity {
  readonly table: string;
  readonly attributes: readonly SampleAttribute[];
  /** Physical table of each reference attribute's target, by attribute name. */
  readonly refTables: Readonly<Record<string, string>>;
}

/** Physical column name of an attribute: its name upper-cased, as O11 does. */
export const columnOf = (attribute: SampleAttribute): string => attribute.name.toUpperCase();

function addIdentifier(t: Knex.CreateTableBuilder, dialect: KnexDialect, a: SampleAttribute): void {
  const name = columnOf(a);
  const long = a.type === 'rtLongInteger';
  // SQL Server: a plain key, so the explicit sample ids need no IDENTITY_INSERT.
  if (a.autoNumber === true && dialect === 'mysql') {
    // knex's increments() is UNSIGNED on MariaDB; O11 identities are signed, like the references.
    t.specificType(name, `${long ? 'bigint' : 'int'} NOT NULL AUTO_INCREMENT PRIMARY KEY`);
  } else if (a.autoNumber === true && dialect !== 'mssql') {
    if (long) t.bigIncrements(name, { primaryKey: true });
    else t.increments(name, { primaryKey: true });
  } else if (a.type === 'rtText')
    t.string(name, a.length ?? 50)
      .notNullable()
      .primary();
  else if (long) t.bigInteger(name).notNullable().primary();
  else t.integer(name).notNullable().primary();
}

function addValueColumn(t: Knex.CreateTableBuilder, dialect: KnexDialect, a: SampleAttribute): void {
  const name = columnOf(a);
  switch (a.type) {
    case 'rtText':
    case 'rtEmail':
    case 'rtPhoneNumber': {
      const length = a.length ?? (a.type === 'rtPhoneNumber' ? 20 : 250);
      const column =
        length > 2000
          ? dialect === 'mysql'
            ? t.text(name, 'longtext')
            : t.text(name)
          : t.string(name, length);
      column.notNullable().defaultTo('');
      return;
    }
    case 'rtInteger':
      t.integer(name).notNullable().defaultTo(0);
      return;
    case 'rtLongInteger':
      t.bigInteger(name).notNullable().defaultTo(0);
      return;
    case 'rtDecimal':
    case 'rtCurrency':
      // SQLite has no exact decimal: TEXT affinity keeps every digit.
      if (dialect === 'sqlite') t.specificType(name, 'TEXT').notNullable().defaultTo('0');
      else
        t.decimal(name, a.length ?? 37, a.decimals ?? 8)
          .notNullable()
          .defaultTo(0);
      return;
    case 'rtBoolean':
      t.boolean(name).notNullable().defaultTo(false);
      return;
    case 'rtDate':
    case 'rtTime':
    case 'rtDateTime': {
      const type = dialect === 'postgres' ? 'timestamp(3)' : dialect === 'mysql' ? 'datetime(3)' : 'datetime';
      t.specificType(name, type).notNullable().defaultTo(O11_NULL_DATE);
      return;
    }
    case 'rtBinaryData':
      if (dialect === 'mysql') t.specificType(name, 'longblob').notNullable();
      else t.binary(name).notNullable();
      return;
  }
}

function addReference(t: Knex.CreateTableBuilder, a: SampleAttribute, target: string | undefined): void {
  const name = columnOf(a);
  const column =
    a.type === 'rtLongInteger'
      ? t.bigInteger(name)
      : a.type === 'rtText'
        ? t.string(name, a.length ?? 50)
        : t.integer(name);
  // NULL means "no reference": the one place O11 stores NULL.
  column.nullable();
  const enforced = a.foreignKey !== false && (a.deleteRule === 'Protect' || a.deleteRule === 'Delete');
  if (target !== undefined && enforced) {
    const fk = t.foreign(name).references('ID').inTable(target);
    if (a.deleteRule === 'Delete') fk.onDelete('CASCADE');
  }
}

/** Creates one entity's table. */
export async function createEntityTable(
  knex: Knex,
  dialect: KnexDialect,
  entity: PhysicalEntity,
): Promise<void> {
  await knex.schema.createTable(entity.table, (t) => {
    if (dialect === 'mysql') t.charset('utf8mb4');
    for (const a of entity.attributes) {
      if (a.identifier === true) addIdentifier(t, dialect, a);
      else if (a.ref !== undefined) addReference(t, a, entity.refTables[a.name]);
      else addValueColumn(t, dialect, a);
    }
    // Without an identifier the mandatory references are the key (a many-to-many); with none, O11
    // keeps no primary key at all.
    const keyed = entity.attributes.filter((a) => a.mandatory === true).map(columnOf);
    if (!entity.attributes.some((a) => a.identifier === true) && keyed.length > 0) t.primary(keyed);
  });
}

/** Creates OSSYS_ESPACE, OSSYS_ENTITY, OSSYS_ENTITY_ATTR, OSSYS_ENTITY_RECORD and OSSYS_TENANT. */
export async function createMetadataTables(knex: Knex, dialect: KnexDialect): Promise<void> {
  const charset = (t: Knex.CreateTableBuilder): void => {
    if (dialect === 'mysql') t.charset('utf8mb4');
  };
  const flags = (t: Knex.CreateTableBuilder, ...names: string[]): void => {
    for (const name of names) t.boolean(name).notNullable().defaultTo(false);
  };
  await knex.schema.createTable('OSSYS_ESPACE', (t) => {
    charset(t);
    t.integer('ID').notNullable().primary();
    t.string('NAME', 50).notNullable().defaultTo('');
    t.string('SS_KEY', 36).notNullable().defaultTo('');
    flags(t, 'IS_ACTIVE', 'IS_SYSTEM');
    // The module whose users this module uses; O11's default is the Users module.
    t.integer('USER_PROVIDER_ESPACE_ID').nullable().defaultTo(SAMPLE_USERS_ESPACE_ID);
  });
  await knex.schema.createTable('OSSYS_ENTITY', (t) => {
    charset(t);
    t.integer('ID').notNullable().primary();
    t.string('NAME', 50).notNullable().defaultTo('');
    t.string('PHYSICAL_TABLE_NAME', 128).notNullable().defaultTo('');
    t.integer('ESPACE_ID').notNullable().defaultTo(0);
    t.string('SS_KEY', 36).notNullable().defaultTo('');
    t.string('PRIMARYKEY_SS_KEY', 36).nullable();
    flags(t, 'IS_ACTIVE', 'IS_SYSTEM');
    t.string('DATA_KIND', 30).notNullable().defaultTo('entity');
  });
  await knex.schema.createTable('OSSYS_ENTITY_ATTR', (t) => {
    charset(t);
    t.integer('ID').notNullable().primary();
    t.integer('ENTITY_ID').notNullable().defaultTo(0);
    t.string('NAME', 50).notNullable().defaultTo('');
    t.string('SS_KEY', 36).notNullable().defaultTo('');
    t.string('TYPE', 100).notNullable().defaultTo('');
    t.integer('LENGTH').notNullable().defaultTo(0);
    t.integer('DECIMALS').notNullable().defaultTo(0);
    flags(t, 'IS_MANDATORY', 'IS_AUTONUMBER');
    t.string('DELETE_RULE', 10).notNullable().defaultTo('');
    flags(t, 'IS_ACTIVE');
  });
  await knex.schema.createTable('OSSYS_ENTITY_RECORD', (t) => {
    charset(t);
    t.integer('ID').notNullable().primary();
    t.string('DATA_ID', 50).notNullable().defaultTo('');
    t.string('NAME', 50).notNullable().defaultTo('');
    t.string('SS_KEY', 36).notNullable().defaultTo('');
    t.string('ENTITY_SS_KEY', 36).notNullable().defaultTo('');
    t.integer('ESPACE_ID').notNullable().defaultTo(0);
    flags(t, 'IS_ACTIVE');
  });
  await knex.schema.createTable('OSSYS_TENANT', (t) => {
    charset(t);
    t.integer('ID').notNullable().primary();
    t.string('NAME', 50).notNullable().defaultTo('');
    t.integer('ESPACE_ID').notNullable().defaultTo(0);
    flags(t, 'IS_ACTIVE');
  });
}

/** The metadata tables, in drop order. */
export const METADATA_TABLES = [
  'OSSYS_ENTITY_RECORD',
  'OSSYS_ENTITY_ATTR',
  'OSSYS_ENTITY',
  'OSSYS_ESPACE',
  'OSSYS_TENANT',
] as const;
