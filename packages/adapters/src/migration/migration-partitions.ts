// Key-range partitions of a migration: the `partitions` setting (per run and per entity) applied to
// the pipelines o11MigrationPlan built. Each range gets a knex source bounded to it and a sink of its
// own; core's partitionPlan persists the ranges with the run's checkpoints and rewires dependencies.

import { FerryError, partitionPlan } from '@ferry/core';
import type { CheckpointStore, EntityPipeline, Plan } from '@ferry/core';
import { pass2Name } from '@ferry/mapping';
import type { CompiledEntity, O11Catalog } from '@ferry/mapping';
import { knexKeyRanges } from '../knex/knex-key-ranges.js';
import { knexSource } from '../knex/knex-source.js';
import type { MigrationSource, PartitionSetting } from './migration-options.js';
import { entitySourceSpec } from './migration-source.js';

/** What the partitioning of a migration plan needs. */
export interface MigrationPartitioning {
  readonly setting: PartitionSetting | undefined;
  readonly runId: string | undefined;
  readonly checkpoints: CheckpointStore | undefined;
  readonly source: MigrationSource;
  readonly catalog: O11Catalog;
  readonly entities: readonly CompiledEntity[];
  /** A new sink for one partition of an entity's pass. */
  readonly sink: (entity: CompiledEntity, pass: 1 | 2) => EntityPipeline['sink'];
}

/** Partitions wanted for a mapping entity name: its own setting, else the run's, else 1. */
export function partitionsFor(setting: PartitionSetting | undefined, entity: string): number {
  if (setting === undefined) return 1;
  if (typeof setting === 'number') return setting;
  return setting.entities?.[entity] ?? setting.default ?? 1;
}

/** The plan with partitioned entities split into one pipeline per key range. */
export async function partitionMigrationPlan(plan: Plan, options: MigrationPartitioning): Promise<Plan> {
  const byPipeline = new Map<string, { entity: CompiledEntity; pass: 1 | 2 }>();
  for (const entity of options.entities) {
    byPipeline.set(entity.name, { entity, pass: 1 });
    byPipeline.set(pass2Name(entity.name), { entity, pass: 2 });
  }
  const wanted = (pipeline: EntityPipeline): number => {
    const found = byPipeline.get(pipeline.entity);
    return found === undefined ? 1 : partitionsFor(options.setting, found.entity.name);
  };
  if (!plan.entities.some((pipeline) => wanted(pipeline) > 1)) return plan;
  const { source, runId, checkpoints } = options;
  if ('factory' in source || runId === undefined || checkpoints === undefined) {
    throw new FerryError(
      'partitions need a knex source (its key ranges are split in SQL), the run id and the checkpoint store: pass runId and checkpoints, or leave partitions at 1',
      { code: 'FERRY_MIGRATION_PARTITIONS', reason: 'invalid-config', operation: 'plan' },
    );
  }
  const spec = (pipeline: EntityPipeline): ReturnType<typeof entitySourceSpec> & { pass: 1 | 2 } => {
    const { entity, pass } = byPipeline.get(pipeline.entity)!;
    return { ...entitySourceSpec(entity, options.catalog, pass, source.schema), pass };
  };
  return partitionPlan(plan, {
    runId,
    checkpoints,
    partitions: wanted,
    split: (pipeline, count) => knexKeyRanges({ knex: source.knex, ...spec(pipeline) }, count),
    expand: (pipeline, { range }) => {
      const { entity, pass } = byPipeline.get(pipeline.entity)!;
      return {
        source: knexSource({ knex: source.knex, ...spec(pipeline), range }),
        sink: options.sink(entity, pass),
      };
    },
  });
}
