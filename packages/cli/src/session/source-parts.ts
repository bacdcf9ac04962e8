// The source side of a migration for any `source.kind`: what @ferry/adapters/migration's
// `migrationSource` needs (a knex source or a factory) and the catalog it resolves tables through.
// JSON files carry no O11 catalog, so for them the catalog is drawn from the mapping file itself.

import { jsonEntitySource } from '@ferry/adapters/json';
import { duplicateKeyError, findDuplicateKeys } from '@ferry/adapters/migration';
import type { DuplicateKeys, MigrationSource } from '@ferry/adapters/migration';
import type { CompiledEntity, CompiledMapping, O11Catalog, O11Entity } from '@ferry/mapping';
import type { CliSession } from './cli-session.js';

/** Where a migration's rows come from, and the catalog its sources are located by. */
export interface SourceParts {
  readonly source: MigrationSource;
  readonly catalog: O11Catalog;
}

/**
 * A catalog with one entry per mapped `{ module, entity }` source, its "physical table" being the
 * mapping name: enough for `migrationSource` to hand the name to a file factory. No static records.
 */
export function catalogFromMapping(compiled: CompiledMapping): O11Catalog {
  const entities: O11Entity[] = [];
  for (const entity of compiled.entities) {
    const source = entity.spec.source;
    if (!('module' in source)) continue;
    entities.push({
      id: entity.name,
      name: source.entity,
      qualifiedName: `${source.module}.${source.entity}`,
      module: source.module,
      moduleSsKey: source.module,
      ssKey: entity.name,
      physicalTable: entity.name,
      dataKind: 'entity',
      isActive: true,
      isSystem: false,
      attributes: [],
    });
  }
  return { modules: [], entities };
}

/** The session's source parts: the O11 database and its catalog, or the JSON folder. */
export async function sourceParts(session: CliSession): Promise<SourceParts> {
  const source = session.loaded.config.source;
  if (source.kind === 'json') {
    const dir = session.path(source.dir);
    return {
      // Each mapped entity reads `<dir>/<entity name>.json|.ndjson`; a missing file fails here, at planning.
      source: { factory: (spec) => jsonEntitySource({ dir, entity: spec.name }) },
      catalog: catalogFromMapping(await session.compiled()),
    };
  }
  if (source.client === 'mssql') {
    // SQL Server rows go through mssqlSource: keys typed like their columns, a running page cancelled
    // on abort, SQL Server errors classified, and `isolation: snapshot` as one transaction per table.
    const [pool, catalog] = await Promise.all([session.sqlServerPool(), session.catalog()]);
    // Loaded here, not at the top: `mssql` is an optional peer that only SQL Server users install.
    const { mssqlSource } = await import('@ferry/adapters/mssql');
    const isolation = source.isolation ?? 'read-committed';
    return {
      source: { factory: (spec) => mssqlSource({ pool, ...spec, schema: spec.schema ?? 'dbo', isolation }) },
      catalog,
    };
  }
  const [knex, catalog] = await Promise.all([session.source(), session.catalog()]);
  return { source: { knex }, catalog };
}

/** The entities whose key more than one source row holds (knex sources; none for files). */
export async function duplicateKeys(
  parts: SourceParts,
  entities: readonly CompiledEntity[],
): Promise<DuplicateKeys[]> {
  if (!('knex' in parts.source)) return [];
  return findDuplicateKeys(parts.source.knex, parts.catalog, entities, parts.source.schema);
}

/** Throws `FERRY_DUPLICATE_KEY` for the first entity with duplicate keys, before anything is written. */
export async function refuseDuplicateKeys(
  parts: SourceParts,
  entities: readonly CompiledEntity[],
): Promise<void> {
  const [first] = await duplicateKeys(parts, entities);
  if (first !== undefined) throw duplicateKeyError(first);
}
