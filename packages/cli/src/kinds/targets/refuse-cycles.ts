// What a target kind whose sinks only insert (files, ODC REST) refuses: an entity in a reference
// cycle, whose second pass would update rows already written.

import { FerryError } from '@ferry/core';
import type { CompiledEntity } from '@ferry/mapping';
import type { KindConfig } from '../kind-types.js';

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
