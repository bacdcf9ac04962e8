// A file-backed id map: one JSON line per source→target pair, appended and fsynced before `put`
// resolves, so the ids an ODC app returned survive a crash and a resumed run reuses them. Kept beside the
// checkpoint file. A torn last line (crash mid-append) is ignored on load: its batch was not
// acknowledged, so the resumed run re-sends it and the endpoint answers with the same ids. The pairs
// themselves live in core's MemoryIdMapStore; this class adds only the file.

import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { MemoryIdMapStore } from '@ferry/core';
import type { IdMapStore } from '@ferry/core';

/**
 * An {@link IdMapStore} in a JSON Lines file (`{"e":entity,"s":sourceKey,"t":targetKey}` per line).
 *
 * @example
 * ```ts
 * const idMap = await JsonlIdMapStore.open('.ferry/run-42.ids.jsonl');
 * ```
 */
export class JsonlIdMapStore implements IdMapStore {
  readonly #memory = new MemoryIdMapStore();
  readonly #file: FileHandle;
  #tail: Promise<void> = Promise.resolve();

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  /** Opens (or creates) the file and loads every complete line. */
  static async open(path: string): Promise<JsonlIdMapStore> {
    await mkdir(dirname(path), { recursive: true });
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const store = new JsonlIdMapStore(await open(path, 'a'));
    const lines = text.split('\n');
    if (!text.endsWith('\n')) lines.pop(); // a torn last line
    for (const line of lines) {
      if (line === '') continue;
      const { e, s, t } = JSON.parse(line) as { e: string; s: string; t: string };
      await store.#memory.put(e, [[s, t]]);
    }
    return store;
  }

  get(entity: string, sourceKeys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return this.#memory.get(entity, sourceKeys);
  }

  put(entity: string, pairs: readonly (readonly [string, string])[]): Promise<void> {
    const known = this.#memory.entries(entity);
    const fresh = pairs.filter(([s, t]) => known.get(s) !== t);
    if (fresh.length === 0) return this.#tail;
    const text = fresh.map(([s, t]) => `${JSON.stringify({ e: entity, s, t })}\n`).join('');
    const write = this.#tail.then(async () => {
      await this.#file.appendFile(text, 'utf8');
      await this.#file.datasync();
      await this.#memory.put(entity, fresh);
    });
    this.#tail = write.catch(() => undefined);
    return write;
  }

  /** Every pair of an entity (for reports and tests). */
  entries(entity: string): ReadonlyMap<string, string> {
    return this.#memory.entries(entity);
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#file.close();
  }
}
