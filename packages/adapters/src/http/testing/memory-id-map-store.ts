// An in-memory IdMapStore for tests: core's MemoryIdMapStore plus a count of `put` calls, so a test
// can see that the sink recorded its ids.

import { MemoryIdMapStore as CoreMemoryIdMapStore } from '@ferry/core';

/** Core's {@link CoreMemoryIdMapStore}; `puts` counts calls so tests can see the sink recorded its ids. */
export class MemoryIdMapStore extends CoreMemoryIdMapStore {
  puts = 0;

  override put(entity: string, pairs: readonly (readonly [string, string])[]): Promise<void> {
    this.puts += 1;
    return super.put(entity, pairs);
  }
}
