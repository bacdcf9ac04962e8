// An in-memory IdMapStore for tests: the same contract as the file-backed one, without the file.

import type { IdMapStore } from '@ferry/core';

/** An {@link IdMapStore} in memory; `puts` counts calls so tests can see the sink recorded its ids. */
export class MemoryIdMapStore implements IdMapStore {
  readonly #pairs = new Map<string, Map<string, string>>();
  puts = 0;

  get(entity: string, sourceKeys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const known = this.#pairs.get(entity);
    const found = new Map<string, string>();
    for (const key of sourceKeys) {
      const target = known?.get(key);
      if (target !== undefined) found.set(key, target);
    }
    return Promise.resolve(found);
  }

  put(entity: string, pairs: readonly (readonly [string, string])[]): Promise<void> {
    this.puts += 1;
    const map = this.#pairs.get(entity) ?? new Map<string, string>();
    for (const [source, target] of pairs) map.set(source, target);
    this.#pairs.set(entity, map);
    return Promise.resolve();
  }

  /** Every pair of an entity. */
  entries(entity: string): ReadonlyMap<string, string> {
    return this.#pairs.get(entity) ?? new Map<string, string>();
  }
}
