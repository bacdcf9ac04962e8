// Reads the O11 metadata tables with explicit column lists (never `SELECT *`: OSSYS_USER holds
// password hashes, and only its row count is ever read). Values are normalised across drivers:
// ids become strings, bit/tinyint/boolean flags become booleans.

import { FerryError } from '@ferry/core';
import type { Knex } from 'knex';
import { classifyKnexError, toKnexFerryError } from '../knex/knex-error-classifier.js';

type Raw = Record<string, unknown>;

/** Options shared by the metadata reads. */
export interface MetadataReadOptions {
  /** Schema of the OSSYS_* tables (SQL Server `dbo`, PostgreSQL, MariaDB database); the default otherwise. */
  readonly schema?: string | undefined;
}

/** The raw metadata, normalised. */
export interface O11Metadata {
  readonly modules: readonly Raw[];
  readonly entities: readonly Raw[];
  readonly attributes: readonly Raw[];
  readonly records: readonly Raw[];
  readonly tenants: readonly Raw[];
  readonly userCount: number;
}

/** A metadata flag as a boolean, whatever the driver returned (true, 1, '1', a bit Buffer). */
export function flag(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.some((byte) => byte !== 0);
  return value === true || value === 1 || value === '1' || value === 1n || value === 'true';
}

/** A metadata id or text as a string ('' for NULL). */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return typeof value === 'string' ? value : '';
}

async function select(
  knex: Knex,
  options: MetadataReadOptions,
  table: string,
  columns: string[],
): Promise<Raw[]> {
  let query = knex.queryBuilder().from(table);
  if (options.schema !== undefined) query = query.withSchema(options.schema);
  try {
    return (await query.select(columns).orderBy('ID')) as Raw[];
  } catch (error) {
    throw metadataError(error, table);
  }
}

function metadataError(error: unknown, table: string): FerryError {
  if (classifyKnexError(error) !== 'not-found')
    return toKnexFerryError(error, { entity: table, operation: 'discover' });
  return new FerryError(
    `O11 metadata table ${table} was not found: connect discovery to the O11 platform database (and set its schema)`,
    {
      code: 'FERRY_O11_METADATA_MISSING',
      reason: 'not-found',
      cause: error,
      entity: table,
      operation: 'discover',
    },
  );
}

async function countUsers(knex: Knex, options: MetadataReadOptions): Promise<number> {
  let query = knex.queryBuilder().from('OSSYS_USER');
  if (options.schema !== undefined) query = query.withSchema(options.schema);
  try {
    const rows: { n?: string | number }[] = await query.count({ n: '*' });
    return Number(rows[0]?.n ?? 0);
  } catch (error) {
    throw metadataError(error, 'OSSYS_USER');
  }
}

/** Reads every metadata table discovery needs. */
export async function readO11Metadata(knex: Knex, options: MetadataReadOptions): Promise<O11Metadata> {
  const modules = await select(knex, options, 'OSSYS_ESPACE', [
    'ID',
    'NAME',
    'SS_KEY',
    'IS_ACTIVE',
    'IS_SYSTEM',
  ]);
  const entities = await select(knex, options, 'OSSYS_ENTITY', [
    'ID',
    'NAME',
    'PHYSICAL_TABLE_NAME',
    'ESPACE_ID',
    'SS_KEY',
    'PRIMARYKEY_SS_KEY',
    'IS_ACTIVE',
    'IS_SYSTEM',
    'DATA_KIND',
  ]);
  const attributes = await select(knex, options, 'OSSYS_ENTITY_ATTR', [
    'ID',
    'ENTITY_ID',
    'NAME',
    'SS_KEY',
    'TYPE',
    'LENGTH',
    'DECIMALS',
    'IS_MANDATORY',
    'IS_AUTONUMBER',
    'DELETE_RULE',
    'IS_ACTIVE',
  ]);
  const records = await select(knex, options, 'OSSYS_ENTITY_RECORD', [
    'ID',
    'DATA_ID',
    'NAME',
    'SS_KEY',
    'ENTITY_SS_KEY',
    'ESPACE_ID',
    'IS_ACTIVE',
  ]);
  const tenants = await select(knex, options, 'OSSYS_TENANT', ['ID', 'NAME']);
  return { modules, entities, attributes, records, tenants, userCount: await countUsers(knex, options) };
}
