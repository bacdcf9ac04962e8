// planFromMapping: a core Plan from a mapping. Each entity depends on the entities it references; each
// cycle (or self reference) gets a deferred pass-2 pipeline that depends on every entity of the cycle,
// re-reads key + cyclic reference columns, and hands the sink rows to update.

import type { EntityPipeline, Plan, Row, Sink, Source } from '@ferry/core';
import type { CompiledEntity, CompiledMapping } from './compiled-types.js';
import { compileMapping } from './entity-compile.js';
import type { MappingRuntime } from './mapping-runtime.js';
import { mappingStage } from './mapping-stage.js';
import type { MappingSpec } from './spec-types.js';

/** Options of {@link planFromMapping}. */
export interface PlanFromMappingOptions {
  /**
   * The source of an entity for a pass. Pass 1 reads `entity.sourceColumns`; pass 2 may read only
   * `entity.sourceColumnsPass2` (key, cyclic references and filter columns).
   */
  source(entity: CompiledEntity, pass: 1 | 2): Source<Row>;
  /** The sink of an entity: pass 1 inserts rows, pass 2 updates the cyclic reference columns by key. */
  sink(entity: CompiledEntity, pass: 1 | 2): Sink<Row>;
  /** Shared run-time services of the mapping stages (id map, users, statics, stats). */
  readonly runtime?: Omit<MappingRuntime, 'pass'>;
  readonly batchSize?: number;
  /** Only these entities (by name); references to others are not waited for. */
  readonly entities?: readonly string[];
}

/** The pipeline name of an entity's deferred pass. */
export function pass2Name(entity: string): string {
  return `${entity}#pass2`;
}

/**
 * A core Plan: pass-1 pipelines with `dependsOn` from references, plus pass-2 pipelines for cycles.
 *
 * @example
 * ```ts
 * const plan = planFromMapping(compiled, { source: (e) => o11Source(e), sink: (e, pass) => pgSink(e, pass) });
 * await run(plan, { runId, checkpoints });
 * ```
 */
export function planFromMapping(
  mapping: CompiledMapping | MappingSpec,
  options: PlanFromMappingOptions,
): Plan {
  const compiled = 'graph' in mapping ? mapping : compileMapping(mapping);
  const wanted = options.entities === undefined ? undefined : new Set(options.entities);
  const chosen = compiled.entities.filter((e) => wanted === undefined || wanted.has(e.name));
  const names = new Set(chosen.map((e) => e.name));
  const runtime = options.runtime ?? {};
  const batch = options.batchSize === undefined ? {} : { batchSize: options.batchSize };
  const pipelines: EntityPipeline[] = chosen.map((entity) => ({
    entity: entity.name,
    dependsOn: entity.dependsOn.filter((d) => names.has(d)),
    source: options.source(entity, 1),
    stages: [mappingStage(entity, { ...runtime, pass: 1 })],
    sink: options.sink(entity, 1),
    ...batch,
  }));
  for (const entity of chosen.filter((e) => e.deferred.length > 0)) {
    pipelines.push({
      entity: pass2Name(entity.name),
      dependsOn: (entity.cycle ?? [entity.name]).filter((d) => names.has(d)),
      source: options.source(entity, 2),
      stages: [mappingStage(entity, { ...runtime, pass: 2 })],
      sink: options.sink(entity, 2),
      pass: 2,
      ...batch,
    });
  }
  return { entities: pipelines };
}
