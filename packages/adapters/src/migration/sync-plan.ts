// The plan `ferry sync` runs: per entity of a diff, pipelines named by action (`#insert`, `#update`,
// `#pass2`, `#detach`, `#delete`) in a referentially safe order. Upserts go parents first (each
// entity's inserts and updates wait for those of the entities it references), then the deferred
// references of cycles (pass 2); deletes come last, children first (an entity's deletes wait for the
// deletes of the entities that reference it), after the cyclic references of the rows to delete are
// set NULL (`#detach`), so a self reference never holds a delete back.

import type { EntityPipeline, Plan, Row, Sink, Source } from '@ferry/core';
import { mappingStage, pass2Name } from '@ferry/mapping';
import type { CompiledEntity, MappingRuntime } from '@ferry/mapping';
import type { DiffKey, DiffReport, EntityDiff } from './diff-types.js';

/** What happens to target rows whose key is gone from the source. */
export type DeletePolicy = 'delete' | 'keep' | 'report';

/** The actions of a sync, each one pipeline per entity. */
export type SyncAction = 'insert' | 'update' | 'pass2' | 'detach' | 'delete';

/** The pipeline name of an entity's action (`Sales.Order#insert`; pass 2 keeps its run name). */
export function syncPipelineName(entity: string, action: SyncAction): string {
  return action === 'pass2' ? pass2Name(entity) : `${entity}#${action}`;
}

/** Where a sync plan's rows come from and go. */
export interface SyncPlanParts {
  /** The O11 rows of these keys, with the columns of the pass. */
  source(entity: CompiledEntity, pass: 1 | 2, keys: readonly DiffKey[]): Source<Row>;
  /** The keys as rows of the target key columns (what `detach` and `delete` take). */
  keys(entity: CompiledEntity, action: 'detach' | 'delete', keys: readonly DiffKey[]): Source<Row>;
  /** Pass 1 upserts rows by key; pass 2 sets the deferred references of existing rows. */
  sink(entity: CompiledEntity, pass: 1 | 2): Sink<Row>;
  /** Sets the deferred references of rows to NULL; needed for entities in a cycle with deletes. */
  detach?(entity: CompiledEntity): Sink<Row>;
  /** Deletes rows by key; needed with the `delete` policy. */
  delete(entity: CompiledEntity): Sink<Row>;
  readonly runtime?: Omit<MappingRuntime, 'pass'>;
  readonly batchSize?: number;
}

/** The entities a non-deferred reference of `entity` points at (other than itself). */
function referenced(entity: CompiledEntity): string[] {
  return entity.attributes.flatMap((a) =>
    a.reference?.kind === 'entity' && !a.deferred && a.reference.entity !== entity.name
      ? [a.reference.entity]
      : [],
  );
}

/**
 * The sync's core Plan for `diff` over `entities` (plan order). Entities of the diff outside
 * `entities` are left out; `keep` and `report` plan no deletes.
 */
export function syncPlan(
  entities: readonly CompiledEntity[],
  diff: DiffReport,
  policy: DeletePolicy,
  parts: SyncPlanParts,
): Plan {
  const diffs = new Map(diff.entities.map((d) => [d.entity, d] as const));
  const chosen = entities.filter((e) => diffs.has(e.name));
  const present = new Set(chosen.map((e) => e.name));
  const batch = parts.batchSize === undefined ? {} : { batchSize: parts.batchSize };
  const stage = (entity: CompiledEntity, pass: 1 | 2) => [mappingStage(entity, { ...parts.runtime, pass })];
  const upserts = (names: readonly string[]): string[] =>
    names
      .filter((n) => present.has(n))
      .flatMap((n) => [syncPipelineName(n, 'insert'), syncPipelineName(n, 'update')]);
  const pipelines: EntityPipeline[] = [];
  for (const entity of chosen) {
    const d: EntityDiff = diffs.get(entity.name)!;
    const dependsOn = upserts(entity.dependsOn);
    for (const [action, keys] of [
      ['insert', d.onlyInSource],
      ['update', d.changed],
    ] as const) {
      pipelines.push({
        entity: syncPipelineName(entity.name, action),
        dependsOn,
        source: parts.source(entity, 1, keys),
        stages: stage(entity, 1),
        sink: parts.sink(entity, 1),
        ...batch,
      });
    }
    if (entity.deferred.length > 0)
      pipelines.push({
        entity: syncPipelineName(entity.name, 'pass2'),
        dependsOn: upserts(entity.cycle ?? [entity.name]),
        source: parts.source(entity, 2, [...d.changed, ...d.onlyInSource]),
        stages: stage(entity, 2),
        sink: parts.sink(entity, 2),
        pass: 2,
        ...batch,
      });
  }
  if (policy !== 'delete') return { entities: pipelines };
  const writes = pipelines.map((p) => p.entity);
  const detached = new Set<string>();
  for (const entity of chosen.filter((e) => e.deferred.length > 0)) {
    if (parts.detach === undefined) continue;
    detached.add(entity.name);
    pipelines.push({
      entity: syncPipelineName(entity.name, 'detach'),
      dependsOn: writes,
      source: parts.keys(entity, 'detach', diffs.get(entity.name)!.onlyInTarget),
      sink: parts.detach(entity),
      ...batch,
    });
  }
  for (const entity of chosen) {
    const children = chosen.filter((c) => c.name !== entity.name && referenced(c).includes(entity.name));
    const cycle = (entity.cycle ?? [entity.name]).filter((n) => detached.has(n));
    pipelines.push({
      entity: syncPipelineName(entity.name, 'delete'),
      dependsOn: [
        ...writes,
        ...cycle.map((n) => syncPipelineName(n, 'detach')),
        ...children.map((c) => syncPipelineName(c.name, 'delete')),
      ],
      source: parts.keys(entity, 'delete', diffs.get(entity.name)!.onlyInTarget),
      sink: parts.delete(entity),
      ...batch,
    });
  }
  return { entities: pipelines };
}
