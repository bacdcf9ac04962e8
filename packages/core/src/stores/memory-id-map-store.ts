// An in-memory id map: source key to target key per entity, for tests and single-process runs that do
// not need to survive a restart.

import type { IdMapStore } from '../id-map.js';

/**
 * Keeps id pairs in maps per entity. Re-recording a pair is a no-op; recording a different target for a
 * known source key replaces it (the latest assignment wins).
 *
 * @example
 * ```ts
 * const ids = new MemoryIdMapStore();
 * await ids.put('Customer', [['42', '9001']]);
 * (await ids.get('Customer', ['42'])).get('42'); // '9001'
 * ```
 */
export class MemoryIdMapStore implements IdMapStore {
  readonly #maps = new Map<string, Map<string, string>>();

  get(entity: string, sourceKeys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const map = this.#maps.get(entity);
    const found = new Map<string, string>();
    if (map !== undefined) {
      for (const key of sourceKeys) {
        const target = map.get(key);
        if (target !== undefined) found.set(key, target);
      }
    }
    return Promise.resolve(found);
  }

  put(entity: string, pairs: readonly (readonly [sourceKey: string, targetKey: string])[]): Promise<void> {
    let map = this.#maps.get(entity);
    if (map === undefined) {
      map = new Map();
      this.#maps.set(entity, map);
    }
    for (const [source, target] of pairs) map.set(source, target);
    return Promise.resolve();
  }

  /** Every pair of an entity (for reports and tests); empty when it has none. */
  entries(entity: string): ReadonlyMap<string, string> {
    return this.#maps.get(entity) ?? new Map<string, string>();
  }

  /** How many pairs an entity has. */
  size(entity: string): number {
    return this.#maps.get(entity)?.size ?? 0;
  }
}
