// The plan of a target kind that is a sink per entity (files, ODC REST, a test's target): the
// mapping's pipelines (planFromMapping, as @ferry/adapters/migration does for PostgreSQL) with the
// session's source and the kind's sink, after the duplicate-key refusal. Such sinks cannot update
// rows afterwards, so entities in a reference cycle (a second pass) are refused.

import { FerryError } from '@ferry/core';
import type { Row, Sink } from '@ferry/core';
import { migrationSource } from '@ferry/adapters/migration';
import { MappingStats, planFromMapping, staticMapsFromCatalog } from '@ferry/mapping';
import type { CompiledEntity, MappingRuntime } from '@ferry/mapping';
import { refuseDuplicateKeys } from '../../session/source-parts.js';
import type { KindConfig, TargetPlan, TargetPlanInput } from '../kind-types.js';

/**
 * Throws `FERRY_TARGET_CYCLE` for the first entity in a reference cycle: its second pass updates rows,
 * which a sink-per-entity target cannot.
 */
export function refuseCycles(target: KindConfig, entities: readonly CompiledEntity[]): void {
  for (const entity of entities) {
    if (entity.deferred.length === 0) continue;
    const cycle = (entity.cycle ?? [entity.name]).join(', ');
    throw new FerryError(
      `${entity.name} is in a reference cycle (${cycle}): target.kind "${target.kind}" cannot update rows in a second pass; exclude one reference attribute of the cycle or use a postgres target`,
      { code: 'FERRY_TARGET_CYCLE', reason: 'invalid-config', entity: entity.name, operation: 'plan' },
    );
  }
}

/**
 * Plans `input.entities` into `sink(entity)` per entity. `runtime` adds what the kind's sinks
 * provide (an id map, where parents are found); `close` releases what the kind opened for the plan.
 */
export async function mappingSinkPlan(
  input: TargetPlanInput,
  sink: (entity: CompiledEntity) => Sink<Row>,
  runtime: Pick<MappingRuntime, 'idMap' | 'parents'> = {},
  close: () => Promise<void> = () => Promise.resolve(),
): Promise<TargetPlan> {
  const { compiled, parts, entities } = input;
  const { batchSize } = input.session.loaded.config;
  await refuseDuplicateKeys(
    parts,
    compiled.entities.filter((e) => entities.includes(e.name)),
  );
  const stats = new MappingStats();
  const plan = planFromMapping(compiled, {
    source: (entity, pass) => migrationSource(parts.source, entity, parts.catalog, pass),
    sink,
    runtime: { statics: staticMapsFromCatalog(parts.catalog), stats, users: input.userMap, ...runtime },
    entities,
    ...(batchSize === undefined ? {} : { batchSize }),
  });
  return { plan, stats, close };
}
