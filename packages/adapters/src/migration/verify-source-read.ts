// The rows a target table should hold, recomputed from the source: the entity's source read through
// its mapping stage, with deferred (cyclic) references mapped in place as the second pass sets them.
// Rejected and filtered rows are counted and left out, as the migration leaves them out.

import type { Batch, Row } from '@ferry/core';
import { mappingStage } from '@ferry/mapping';
import type { CompiledAttribute, CompiledEntity, MappingRuntime, MappingStats } from '@ferry/mapping';
import type { O11MigrationOptions } from './migration-options.js';
import { migrationSource } from './migration-source.js';

/**
 * The entity as it looks after both passes: no attribute is held back as NULL. A deferred reference
 * whose parent is missing stays NULL when its policy rejects (pass 2 can only skip the update of a row
 * pass 1 wrote), so here it maps to NULL.
 */
export function finalState(entity: CompiledEntity): CompiledEntity {
  if (entity.deferred.length === 0) return entity;
  const settled = (a: CompiledAttribute): CompiledAttribute =>
    a.reference?.kind === 'entity' && a.reference.onMissing === 'reject'
      ? { ...a, deferred: false, reference: { ...a.reference, onMissing: 'null' } }
      : { ...a, deferred: false };
  return {
    ...entity,
    deferred: [],
    attributes: entity.attributes.map((a) => (a.deferred ? settled(a) : a)),
  };
}

/** Mapped batches of an entity as the target should hold them. */
export function readMappedSource(
  options: O11MigrationOptions,
  entity: CompiledEntity,
  runtime: Omit<MappingRuntime, 'pass' | 'stats'>,
  stats: MappingStats,
  signal: AbortSignal,
): AsyncIterable<Batch<Row>> {
  const source = migrationSource(options.source, entity, options.catalog, 1);
  const stage = mappingStage(finalState(entity), { ...runtime, stats, pass: 1 });
  const batchSize = options.batchSize ?? 1000;
  return stage(source.read({ batchSize, signal }), { entity: entity.name, signal });
}
