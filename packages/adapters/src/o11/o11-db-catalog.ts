// Modules whose tables live in another database catalog: O11 (multi-catalog, SQL Server) records in
// OSSYS_ESPACE.DBCATALOG_ID the catalog of each module, and OSSYS_DBCATALOG names it; "(Main)" is the
// platform database. Only ID and NAME are read (OSSYS_DBCATALOG also holds credentials).

import type { Knex } from 'knex';
import { classifyKnexError } from '../knex/knex-error-classifier.js';
import { text } from './o11-metadata-read.js';
import type { MetadataReadOptions } from './o11-metadata-read.js';

/** The name OSSYS_DBCATALOG gives the platform's own database. */
export const MAIN_CATALOG = '(Main)';

/**
 * The database of each module that is not in the main catalog, by OSSYS_ESPACE.ID: the catalog's
 * NAME, which is the database name (OutSystems' own data-migration queries qualify tables with it).
 */
export function catalogDatabases(
  espaces: readonly Record<string, unknown>[],
  catalogs: readonly Record<string, unknown>[],
): ReadonlyMap<string, string> {
  const names = new Map(catalogs.map((c) => [text(c.ID), text(c.NAME)]));
  const databases = new Map<string, string>();
  for (const espace of espaces) {
    const name = names.get(text(espace.DBCATALOG_ID));
    if (name !== undefined && name !== '' && name !== MAIN_CATALOG) databases.set(text(espace.ID), name);
  }
  return databases;
}

/** Rows of a table, or none when the table or column does not exist (single-catalog installs, samples). */
async function rowsIfPresent(
  knex: Knex,
  options: MetadataReadOptions,
  table: string,
  columns: string[],
): Promise<Record<string, unknown>[]> {
  let query = knex.queryBuilder().from(table);
  if (options.schema !== undefined) query = query.withSchema(options.schema);
  try {
    const rows: Record<string, unknown>[] = await query.select(columns);
    return rows;
  } catch (error) {
    if (classifyKnexError(error) === 'not-found') return [];
    throw error;
  }
}

/** Reads the module → database map of a multi-catalog O11; empty on a single-catalog one. */
export async function readCatalogDatabases(
  knex: Knex,
  options: MetadataReadOptions,
): Promise<ReadonlyMap<string, string>> {
  const catalogs = await rowsIfPresent(knex, options, 'OSSYS_DBCATALOG', ['ID', 'NAME']);
  if (catalogs.length === 0) return new Map();
  const espaces = await rowsIfPresent(knex, options, 'OSSYS_ESPACE', ['ID', 'DBCATALOG_ID']);
  return catalogDatabases(espaces, catalogs);
}
