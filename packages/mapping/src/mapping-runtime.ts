// What a mapping stage needs at run time besides the compiled entity: the id map (remapped ids), the
// user map, the static record maps, where parent rows can be looked up, counters, and which pass it runs.

import type { IdMapStore } from '@ferry/core';
import type { MappingStats } from './mapping-stats.js';
import type { StaticRecordMap } from './static-map.js';
import type { UserMap } from './user-map.js';

/**
 * Which parent rows are in the target, asked once per batch and referenced entity. The sink's side
 * implements it: `postgresParentKeys` asks the parent's target table, the ODC REST path its id map.
 * Entities load in reference order, so a parent entity is complete before its children are mapped.
 */
export interface ParentKeys {
  /**
   * The subset of `keys` (the referenced entity's key, as canonical text: `"42"`) that exist in
   * `entity`'s target. A parent missing in the source or rejected is absent.
   */
  existing(entity: string, keys: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Run-time services of a mapping stage. */
export interface MappingRuntime {
  /** Needed when the entity or a reference remaps ids. Looked up once per batch and entity. */
  readonly idMap?: IdMapStore;
  /** Needed when the entity has user references. */
  readonly users?: UserMap;
  /** Needed when the entity has static references; keyed by static entity (`Module.Entity`). */
  readonly statics?: ReadonlyMap<string, StaticRecordMap>;
  /**
   * Where references to other entities (ids kept) are checked, per batch, for a parent row in the
   * target (policy: the reference's `onMissing`). Absent: such references are not checked.
   */
  readonly parents?: ParentKeys;
  /** Counters for the report (deleted static records, unmatched users, missing remapped ids). */
  readonly stats?: MappingStats;
  /** 1 (default): load rows with cyclic references NULL. 2: emit key + cyclic references for an update. */
  readonly pass?: 1 | 2;
}
