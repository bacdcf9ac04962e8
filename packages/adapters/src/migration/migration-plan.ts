// o11MigrationPlan: the one call between "I have a catalog and a mapping" and core's `run`. Per mapped
// entity it wires the O11 source, the mapping stage and the PostgreSQL sink (plus the pass-2 update
// sink for cycles); the dependency order and the deferred passes come from planFromMapping.

import type { EntityPipeline, Plan } from '@ferry/core';
import { planFromMapping } from '@ferry/mapping';
import type { CompiledMapping, MappingStats, TargetTable } from '@ferry/mapping';
import { createTable } from '../postgres/create-table.js';
import { duplicateKeyError, findDuplicateKeys } from './duplicate-keys.js';
import { prepareMigration } from './migration-mapping.js';
import type { O11MigrationOptions } from './migration-options.js';
import { partitionMigrationPlan } from './migration-partitions.js';
import { migrationSink, sameTransactionStore } from './migration-sinks.js';
import { migrationSource } from './migration-source.js';

/** What {@link o11MigrationPlan} built. */
export interface O11MigrationPlan {
  /** Hand it to core's `run`; its PostgreSQL sinks carry the checkpoint store (pass the same or none). */
  readonly plan: Plan;
  /** The compiled mapping, target schema override applied. */
  readonly compiled: CompiledMapping;
  /** The target table of every planned entity, by entity name. */
  readonly tables: ReadonlyMap<string, TargetTable>;
  /** The mapping's counters (deleted static records, unmatched users), filled while the plan runs. */
  readonly stats: MappingStats;
}

/**
 * A core Plan that migrates O11 entities into PostgreSQL. With a knex source it first counts the
 * duplicate keys of every entity not keyed by its O11 identifier, and throws `FERRY_DUPLICATE_KEY`
 * (`invalid-data`) before anything is written when one has any.
 *
 * @example
 * ```ts
 * const catalog = await discoverO11Catalog(knex);
 * const checkpoints = new PostgresCheckpointStore({ pool });
 * const { plan } = await o11MigrationPlan({
 *   source: { knex }, catalog, mapping: generateMapping(catalog),
 *   target: { pool, mode: 'copy', createTables: true }, checkpoints, userMap,
 *   partitions: { default: 1, entities: { 'Sales.Order': 4 } }, runId: 'first',
 * });
 * const result = await run(plan, { runId: 'first' }); // the sinks carry the checkpoint store
 * ```
 */
export async function o11MigrationPlan(options: O11MigrationOptions): Promise<O11MigrationPlan> {
  const { compiled, entities, runtime } = prepareMigration(options);
  // A key held by two source rows loses rows silently or fails half-way: refuse before writing.
  if ('knex' in options.source) {
    const { knex, schema } = options.source;
    const duplicates = await findDuplicateKeys(knex, options.catalog, entities, schema);
    if (duplicates[0] !== undefined) throw duplicateKeyError(duplicates[0]);
  }
  const store = sameTransactionStore(options.target, options.checkpoints);
  const tables = new Map(entities.map((entity) => [entity.name, entity.table] as const));
  if (options.target.createTables === true)
    for (const table of tables.values()) await createTable(options.target.pool, table);
  const plan = planFromMapping(compiled, {
    source: (entity, pass) => migrationSource(options.source, entity, options.catalog, pass),
    sink: (entity, pass) => migrationSink(options.target, store, entity, pass),
    runtime,
    entities: entities.map((entity) => entity.name),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
  const partitioned = await partitionMigrationPlan(plan, {
    setting: options.partitions,
    runId: options.runId,
    checkpoints: options.checkpoints,
    source: options.source,
    catalog: options.catalog,
    entities,
    sink: (entity, pass) => migrationSink(options.target, store, entity, pass),
  });
  const commitEvery = options.target.commitEvery;
  const entitiesCommitting =
    commitEvery === undefined
      ? partitioned.entities
      : partitioned.entities.map((pipeline): EntityPipeline => ({ ...pipeline, commitEvery }));
  return { plan: { entities: entitiesCommitting }, compiled, tables, stats: runtime.stats };
}
