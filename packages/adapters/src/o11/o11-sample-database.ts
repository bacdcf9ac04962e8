// Builds an O11-shaped database through knex (SQLite, MariaDB, PostgreSQL; SQL Server by the same
// code): OSSYS metadata plus OSUSR tables filled with deterministic rows in multi-row inserts, one
// transaction per table, so 100k rows load in seconds. Shared by tests, the CLI demo and benchmarks.

import type { Knex } from 'knex';
import { knexDialect } from '../knex/knex-dialect.js';
import type { KnexDialect } from '../knex/knex-dialect.js';
import { SAMPLE_ENTITIES } from './o11-sample-model.js';
import type { SampleEntity } from './o11-sample-model.js';
import type { ResolvedEntity } from './o11-sample-metadata.js';
import {
  attributeRows,
  entityRows,
  espaceRows,
  resolveEntities,
  resolveModules,
  staticRecordRows,
} from './o11-sample-metadata.js';
import { sampleCounts, sampleRows } from './o11-sample-rows.js';
import type { SampleCounts, SampleRow } from './o11-sample-rows.js';
import { columnOf, createEntityTable, createMetadataTables, METADATA_TABLES } from './o11-sample-schema.js';

/** Options of {@link createSampleO11Database}. */
export interface SampleO11Options {
  /** Rows of Product and of Order; the other entities scale from it (about 6x in total). Default 100. */
  readonly rowsPerEntity?: number;
  /** Same seed, same database (SS_KEYs, module hashes, rows). Default 1. */
  readonly seed?: number;
  /** More entities in the sample's modules, after its own, with their rows (tests of one shape). */
  readonly extra?: SampleExtension;
}

/** Entities added to the sample: created, registered in OSSYS_* and filled after the sample's own. */
export interface SampleExtension {
  /** In creation order: an entity referenced through a Protect or Delete rule comes first. */
  readonly entities: readonly SampleEntity[];
  /** The rows of one added entity (`Module.Entity`), physical column to value. */
  rows(qualifiedName: string, counts: SampleCounts): Iterable<SampleRow>;
}

/** One entity of the built sample. */
export interface SampleO11Entity {
  readonly qualifiedName: string;
  readonly table: string;
  readonly rows: number;
  readonly isActive: boolean;
}

/** What {@link createSampleO11Database} built. */
export interface SampleO11Database {
  readonly seed: number;
  readonly rowsPerEntity: number;
  readonly modules: readonly { readonly name: string; readonly ssKey: string; readonly hash: string }[];
  readonly entities: readonly SampleO11Entity[];
  readonly totalRows: number;
}

// Bind-parameter budgets per statement (SQL Server allows 2100, SQLite 32766, pg and MariaDB 65535).
const PARAMETER_BUDGET: Record<KnexDialect, number> = {
  postgres: 30_000,
  mysql: 30_000,
  sqlite: 30_000,
  mssql: 2_000,
  oracle: 1_000,
};

function forDialect(row: SampleRow, dialect: KnexDialect): SampleRow {
  if (dialect !== 'mssql') return row;
  // SQL Server reads 'YYYY-MM-DD hh:mm:ss' by the session language; the ISO 'T' form is unambiguous.
  const out: SampleRow = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      typeof value === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value)
        ? value.replace(' ', 'T')
        : value;
  }
  return out;
}

async function insertAll(
  knex: Knex,
  dialect: KnexDialect,
  table: string,
  rows: Iterable<SampleRow>,
): Promise<number> {
  let count = 0;
  await knex.transaction(async (trx) => {
    let chunk: SampleRow[] = [];
    let perInsert = 0;
    for (const row of rows) {
      if (perInsert === 0) {
        // knex writes SQLite multi-row inserts as UNION ALL, limited to 500 terms.
        const maxRows = dialect === 'sqlite' ? 500 : 1000;
        perInsert = Math.max(
          1,
          Math.min(maxRows, Math.floor(PARAMETER_BUDGET[dialect] / Object.keys(row).length)),
        );
      }
      chunk.push(forDialect(row, dialect));
      if (chunk.length >= perInsert) {
        await trx(table).insert(chunk);
        count += chunk.length;
        chunk = [];
      }
    }
    if (chunk.length > 0) await trx(table).insert(chunk);
    count += chunk.length;
  });
  return count;
}

function refTables(entity: ResolvedEntity, all: readonly ResolvedEntity[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of entity.entity.attributes) {
    const target = a.ref === undefined ? undefined : all.find((e) => e.qualifiedName === a.ref);
    if (target !== undefined) out[a.name] = target.table;
  }
  return out;
}

/**
 * Creates and fills an O11-shaped sample database in the knex connection's current schema/database:
 * OSSYS_ESPACE, OSSYS_ENTITY, OSSYS_ENTITY_ATTR, OSSYS_ENTITY_RECORD, OSSYS_TENANT, OSSYS_USER and
 * the OSUSR/OSEVT tables of modules Catalog and Sales. Fails if the tables exist already.
 *
 * @example
 * ```ts
 * const sample = await createSampleO11Database(db, { rowsPerEntity: 10_000, seed: 7 });
 * const catalog = await discoverO11Catalog(db);
 * ```
 */
export async function createSampleO11Database(
  knex: Knex,
  options: SampleO11Options = {},
): Promise<SampleO11Database> {
  const seed = options.seed ?? 1;
  const rowsPerEntity = options.rowsPerEntity ?? 100;
  const dialect = knexDialect(knex);
  const modules = resolveModules(seed);
  const extra = options.extra;
  const entities = resolveEntities(seed, modules, [...SAMPLE_ENTITIES, ...(extra?.entities ?? [])]);
  await createMetadataTables(knex, dialect);
  for (const e of entities) {
    const attributes = e.entity.attributes;
    await createEntityTable(knex, dialect, { table: e.table, attributes, refTables: refTables(e, entities) });
  }
  await insertAll(knex, dialect, 'OSSYS_ESPACE', espaceRows(modules));
  await insertAll(knex, dialect, 'OSSYS_ENTITY', entityRows(seed, entities));
  await insertAll(knex, dialect, 'OSSYS_ENTITY_ATTR', attributeRows(seed, entities));
  await insertAll(knex, dialect, 'OSSYS_ENTITY_RECORD', staticRecordRows(seed, entities));
  await insertAll(knex, dialect, 'OSSYS_TENANT', [{ ID: 1, NAME: 'Users', ESPACE_ID: 1, IS_ACTIVE: 1 }]);
  const counts = sampleCounts(rowsPerEntity);
  const built: SampleO11Entity[] = [];
  for (const e of entities) {
    const own = SAMPLE_ENTITIES.includes(e.entity);
    const generated = own ? sampleRows(e.qualifiedName, seed, counts) : extra!.rows(e.qualifiedName, counts);
    const rows = await insertAll(knex, dialect, e.table, generated);
    built.push({ qualifiedName: e.qualifiedName, table: e.table, rows, isActive: e.entity.active });
  }
  return {
    seed,
    rowsPerEntity,
    modules: modules.map(({ name, ssKey, hash }) => ({ name, ssKey, hash })),
    entities: built,
    totalRows: built.reduce((sum, e) => sum + e.rows, 0),
  };
}

/**
 * Drops every table {@link createSampleO11Database} created with this seed (entity tables in
 * reverse dependency order, then the metadata tables). Missing tables are ignored.
 */
export async function dropSampleO11Database(
  knex: Knex,
  options: Pick<SampleO11Options, 'seed'> = {},
): Promise<void> {
  const seed = options.seed ?? 1;
  const entities = resolveEntities(seed, resolveModules(seed), SAMPLE_ENTITIES);
  for (const e of [...entities].reverse()) await knex.schema.dropTableIfExists(e.table);
  for (const table of METADATA_TABLES) await knex.schema.dropTableIfExists(table);
}

/** The physical column of each attribute of a sample entity, for tests that query tables directly. */
export function sampleColumns(qualifiedName: string): string[] {
  const entity = SAMPLE_ENTITIES.find((e) => `${e.module}.${e.name}` === qualifiedName);
  return entity === undefined ? [] : entity.attributes.map(columnOf);
}
