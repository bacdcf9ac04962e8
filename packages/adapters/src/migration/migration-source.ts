// The source of one mapped entity: its physical table (resolved through the catalog, since module
// hashes differ per environment), its key columns, and exactly the columns the pass reads, each with
// the kind that keeps its O11 type exact (Long Integers and decimals as text, dates unshifted).

import { FerryError } from '@ferry/core';
import type { Row, Source } from '@ferry/core';
import type { CompiledEntity, O11Catalog } from '@ferry/mapping';
import type { SourceColumn } from '../knex/knex-column.js';
import { knexSource } from '../knex/knex-source.js';
import { o11ColumnKind } from '../o11/o11-entity-source.js';
import type { EntitySourceSpec, MigrationSource } from './migration-options.js';

function physicalTable(
  entity: CompiledEntity,
  catalog: O11Catalog,
): { table: string; schema?: string; database?: string } {
  const source = entity.spec.source;
  if ('table' in source) return source.schema === undefined ? { table: source.table } : { ...source };
  const lower = (s: string): string => s.toLowerCase();
  const found = catalog.entities.find(
    (e) => lower(e.module) === lower(source.module) && lower(e.name) === lower(source.entity),
  );
  if (found === undefined) {
    throw new FerryError(
      `${entity.name}: the catalog has no entity ${source.module}.${source.entity}: discover again or fix the mapping's source`,
      { code: 'FERRY_MIGRATION_SOURCE', reason: 'not-found', entity: entity.name },
    );
  }
  // A module in another database catalog: its tables are read there (SQL Server sources).
  return found.database === undefined
    ? { table: found.physicalTable }
    : { table: found.physicalTable, database: found.database };
}

/** The columns a pass reads with their kinds, from the attribute types of the spec. */
function columnsOf(entity: CompiledEntity, pass: 1 | 2): SourceColumn[] {
  const types = new Map<string, SourceColumn['kind']>();
  // Same default as @ferry/mapping's source column: the attribute name upper-cased.
  for (const [name, attribute] of Object.entries(entity.spec.attributes))
    types.set(attribute.column ?? name.toUpperCase(), o11ColumnKind(attribute));
  const names = pass === 1 ? entity.sourceColumns : entity.sourceColumnsPass2;
  const keys = entity.key.map((k) => k.column);
  return [...new Set([...keys, ...names])].map((name) => ({ name, kind: types.get(name) }));
}

/** What a source factory gets for an entity and pass. */
export function entitySourceSpec(
  entity: CompiledEntity,
  catalog: O11Catalog,
  pass: 1 | 2,
  schema?: string,
): EntitySourceSpec {
  const located = physicalTable(entity, catalog);
  const table = schema === undefined || located.schema !== undefined ? located : { ...located, schema };
  return {
    name: entity.name,
    ...table,
    key: entity.key.map((k) => k.column),
    columns: columnsOf(entity, pass),
  };
}

/** The source of an entity's pass: a knex source, or the caller's factory. */
export function migrationSource(
  source: MigrationSource,
  entity: CompiledEntity,
  catalog: O11Catalog,
  pass: 1 | 2,
): Source<Row> {
  if ('factory' in source) return source.factory(entitySourceSpec(entity, catalog, pass), pass);
  return knexSource({ knex: source.knex, ...entitySourceSpec(entity, catalog, pass, source.schema) });
}
