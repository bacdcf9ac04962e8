// The plan of a target kind that is a sink per entity (files, ODC REST, a test's target): the
// mapping's pipelines (planFromMapping, as @ferry/adapters/migration does for PostgreSQL) with the
// session's source and the kind's sink, after the duplicate-key refusal. Such sinks cannot update
// rows afterwards: their kinds refuse entities in a reference cycle (refuse-cycles.ts). Kinds import
// this module when they plan, so a command that plans nothing does not load the migration adapters.

import type { Row, Sink } from '@ferry/core';
import { migrationSource } from '@ferry/adapters/migration';
import { MappingStats, planFromMapping, staticMapsFromCatalog } from '@ferry/mapping';
import type { CompiledEntity, MappingRuntime } from '@ferry/mapping';
import { refuseDuplicateKeys } from '../../session/source-parts.js';
import type { TargetPlan, TargetPlanInput } from '../kind-types.js';

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
