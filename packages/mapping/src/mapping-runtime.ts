// What a mapping stage needs at run time besides the compiled entity: the id map (remapped ids), the
// user map, the static record maps, counters, and which pass it runs.

import type { IdMapStore } from '@ferry/core';
import type { MappingStats } from './mapping-stats.js';
import type { StaticRecordMap } from './static-map.js';
import type { UserMap } from './user-map.js';

/** Run-time services of a mapping stage. */
export interface MappingRuntime {
  /** Needed when the entity or a reference remaps ids. Looked up once per batch and entity. */
  readonly idMap?: IdMapStore;
  /** Needed when the entity has user references. */
  readonly users?: UserMap;
  /** Needed when the entity has static references; keyed by static entity (`Module.Entity`). */
  readonly statics?: ReadonlyMap<string, StaticRecordMap>;
  /** Counters for the report (deleted static records, unmatched users, missing remapped ids). */
  readonly stats?: MappingStats;
  /** 1 (default): load rows with cyclic references NULL. 2: emit key + cyclic references for an update. */
  readonly pass?: 1 | 2;
}
