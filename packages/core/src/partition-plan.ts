// partitionPlan: turns chosen entities of a plan into one pipeline per key range. Each range is read
// and written as its own stream with its own checkpoint; a dependant waits for every partition of the
// entities it depends on. The first plan of a run decides and persists the ranges (partition-layout.ts).

import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import { FerryError } from './errors.js';
import type { KeyRange, PartitionInfo } from './partition.js';
import { partitionId, partitionLayoutId } from './partition.js';
import { checkTiling, layoutCheckpoint, layoutRanges } from './partition-layout.js';
import type { EntityPipeline, Plan } from './plan.js';

/** Options of {@link partitionPlan}. */
export interface PartitionPlanOptions {
  /** The run the plan is for: its checkpoints hold (or will hold) the ranges. */
  readonly runId: string;
  readonly checkpoints: CheckpointStore;
  /** Partitions wanted for a pipeline; `undefined` or 1 leaves it whole. */
  partitions(pipeline: EntityPipeline): number | undefined;
  /**
   * Splits a pipeline's key space into at most `count` ranges in key order that cover it exactly once
   * (the first open below, the last open above). Called once per entity and run.
   */
  split(pipeline: EntityPipeline, count: number): Promise<readonly KeyRange[]>;
  /** The source bounded to one range and a sink of its own (stages too, if they keep state). */
  expand(
    pipeline: EntityPipeline,
    partition: PartitionInfo,
  ): Pick<EntityPipeline, 'source' | 'sink'> & Partial<Pick<EntityPipeline, 'stages'>>;
}

/**
 * A plan in which each entity with `partitions(pipeline) > 1` is replaced by one pipeline per key
 * range, named `Entity[i/n]` with `partition` set, and every `dependsOn` on it by all of them.
 *
 * The ranges are persisted with the run's checkpoints the first time; every later call for the same
 * run id uses the stored ranges, whatever `partitions` now says, so a resumed run (even after the
 * table grew) gives each row to the same partition. An entity that already has a checkpoint of its
 * own in the run (it started unpartitioned) stays whole.
 *
 * @example
 * ```ts
 * const partitioned = await partitionPlan(plan, {
 *   runId, checkpoints,
 *   partitions: () => 4,
 *   split: (pipeline, count) => knexKeyRanges({ knex, table: 'ORDERS', key: ['ID'] }, count),
 *   expand: (pipeline, { range }) => ({ source: knexSource({ ...table, range }), sink: makeSink() }),
 * });
 * await run(partitioned, { runId, checkpoints, concurrency: 4 });
 * ```
 */
export async function partitionPlan(plan: Plan, options: PartitionPlanOptions): Promise<Plan> {
  const existing = new Map(
    (await options.checkpoints.list(options.runId)).map((checkpoint) => [checkpoint.entity, checkpoint]),
  );
  const expanded = new Map<string, EntityPipeline[]>();
  for (const pipeline of plan.entities) {
    const ranges = await rangesOf(pipeline, existing, options);
    expanded.set(
      pipeline.entity,
      ranges === undefined
        ? [pipeline]
        : ranges.map((range, i) => partitionOf(pipeline, range, i, ranges, options)),
    );
  }
  const names = (dep: string): string[] => expanded.get(dep)?.map((p) => p.entity) ?? [dep];
  const entities = [...expanded.values()]
    .flat()
    .map((p) => (p.dependsOn === undefined ? p : { ...p, dependsOn: p.dependsOn.flatMap(names) }));
  return { entities };
}

async function rangesOf(
  pipeline: EntityPipeline,
  existing: ReadonlyMap<string, Checkpoint>,
  options: PartitionPlanOptions,
): Promise<readonly KeyRange[] | undefined> {
  const entity = pipeline.entity;
  const stored = existing.get(partitionLayoutId(entity));
  if (stored !== undefined) return layoutRanges(stored);
  if (existing.has(entity)) return undefined;
  const count = options.partitions(pipeline) ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new FerryError(`entity "${entity}": partitions must be an integer >= 1`, {
      code: 'FERRY_PLAN_INVALID',
      reason: 'invalid-config',
      entity,
      operation: 'plan',
    });
  }
  if (count === 1) return undefined;
  const ranges = await options.split(pipeline, count);
  checkTiling(entity, ranges);
  await options.checkpoints.save(layoutCheckpoint(options.runId, entity, ranges));
  return ranges;
}

function partitionOf(
  pipeline: EntityPipeline,
  range: KeyRange,
  i: number,
  ranges: readonly KeyRange[],
  options: PartitionPlanOptions,
): EntityPipeline {
  const partition: PartitionInfo = { of: pipeline.entity, index: i + 1, count: ranges.length, range };
  return {
    ...pipeline,
    ...options.expand(pipeline, partition),
    entity: partitionId(pipeline.entity, i + 1, ranges.length),
    partition,
  };
}
