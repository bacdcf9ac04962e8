// Which parent rows an ODC app holds, for targets that cannot be queried: the ODC REST sink records
// the id ODC gave every acknowledged row in the id map, so a parent key with no entry there never
// reached ODC (missing in the source, or rejected). One id-map call per batch and referenced entity.

import type { IdMapStore } from '@ferry/core';
import type { ParentKeys } from '@ferry/mapping';

/**
 * Parent look-ups through the id map the ODC REST sink fills (entity = the mapping name).
 *
 * @example
 * ```ts
 * const runtime = { idMap, parents: idMapParentKeys(idMap) };
 * ```
 */
export function idMapParentKeys(idMap: IdMapStore): ParentKeys {
  return {
    async existing(entity, keys) {
      if (keys.length === 0) return new Set();
      const found = await idMap.get(entity, keys);
      return new Set(found.keys());
    },
  };
}
