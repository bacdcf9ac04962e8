// From the options to a compiled mapping whose target tables are where the rows really go (the
// schema override applied), plus the run-time services its stages need. Planning and verifying both
// start here, so they agree on every table and every conversion.

import { FerryError } from '@ferry/core';
import {
  MappingStats,
  compileMapping,
  generateMapping,
  staticMapsFromCatalog,
  type CompiledEntity,
  type CompiledMapping,
  type MappingRuntime,
  type TargetTable,
} from '@ferry/mapping';
import { postgresParentKeys } from '../postgres/parent-keys.js';
import type { O11MigrationOptions } from './migration-options.js';

/** A compiled mapping, the entities chosen from it, and the stages' shared services. */
export interface PreparedMigration {
  readonly compiled: CompiledMapping;
  readonly entities: readonly CompiledEntity[];
  readonly runtime: Omit<MappingRuntime, 'pass'> & { readonly stats: MappingStats };
}

function retarget(compiled: CompiledMapping, schema: string): CompiledMapping {
  const targets = new Map<string, TargetTable>(
    compiled.entities.map((entity) => [entity.name, { ...entity.table, schema }]),
  );
  const seen = new Map<string, string>();
  for (const entity of compiled.entities) {
    const other = seen.get(entity.table.table);
    if (other !== undefined) {
      throw new FerryError(
        `target schema override puts ${other} and ${entity.name} in the same table ${schema}.${entity.table.table}: name their targets apart`,
        { code: 'FERRY_MIGRATION_CONFIG', reason: 'invalid-config', entity: entity.name },
      );
    }
    seen.set(entity.table.table, entity.name);
  }
  return compileMapping(compiled.spec, {
    targets,
    ...(compiled.maskKey === undefined ? {} : { maskKey: compiled.maskKey }),
  });
}

function unsupported(entity: CompiledEntity): FerryError {
  return new FerryError(
    `${entity.name} has identity "remap", which the PostgreSQL sink cannot do (COPY does not return generated ids): keep its ids (identity "preserve")`,
    { code: 'FERRY_MIGRATION_REMAP', reason: 'invalid-config', entity: entity.name },
  );
}

/** Compile (or take) the mapping, apply the target schema, choose entities, build the runtime. */
export function prepareMigration(options: O11MigrationOptions): PreparedMigration {
  const given = options.mapping ?? generateMapping(options.catalog);
  let compiled = 'graph' in given ? given : compileMapping(given);
  const schema = options.target.schema;
  if (schema !== undefined) compiled = retarget(compiled, schema);
  const wanted = options.entities === undefined ? undefined : new Set(options.entities);
  if (wanted !== undefined) for (const name of wanted) compiled.entity(name); // throws for unknown names
  const entities = compiled.entities.filter((e) => wanted === undefined || wanted.has(e.name));
  for (const entity of entities) if (entity.identity === 'remap') throw unsupported(entity);
  // References are checked against the parent's target table, one query per batch (see README,
  // "What Ferry does with..."): a parent missing in the source or rejected is not there.
  const tables = new Map(compiled.entities.map((entity) => [entity.name, entity.table] as const));
  const runtime = {
    statics: options.statics ?? staticMapsFromCatalog(options.catalog),
    parents: postgresParentKeys({ pool: options.target.pool, tables }),
    stats: new MappingStats(),
    ...(options.userMap === undefined ? {} : { users: options.userMap }),
    ...(options.idMap === undefined ? {} : { idMap: options.idMap }),
  };
  return { compiled, entities, runtime };
}
