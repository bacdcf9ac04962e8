// A file-backed id map: one JSON line per source→target pair, appended and fsynced before `put`
// resolves, so the ids an ODC app returned survive a crash and a resumed run reuses them. Kept beside the
// checkpoint file. A torn last line (crash mid-append) is ignored on load: its batch was not
// acknowledged, so the resumed run re-sends it and the endpoint answers with the same ids.

import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
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
  readonly #pairs = new Map<string, Map<string, string>>();
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
      store.#remember(e, s, t);
    }
    return store;
  }

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
    const fresh = pairs.filter(([s, t]) => this.#pairs.get(entity)?.get(s) !== t);
    if (fresh.length === 0) return this.#tail;
    const text = fresh.map(([s, t]) => `${JSON.stringify({ e: entity, s, t })}\n`).join('');
    const write = this.#tail.then(async () => {
      await this.#file.appendFile(text, 'utf8');
      await this.#file.datasync();
      for (const [s, t] of fresh) this.#remember(entity, s, t);
    });
    this.#tail = write.catch(() => undefined);
    return write;
  }

  /** Every pair of an entity (for reports and tests). */
  entries(entity: string): ReadonlyMap<string, string> {
    return this.#pairs.get(entity) ?? new Map<string, string>();
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#file.close();
  }

  #remember(entity: string, sourceKey: string, targetKey: string): void {
    const map = this.#pairs.get(entity) ?? new Map<string, string>();
    map.set(sourceKey, targetKey);
    this.#pairs.set(entity, map);
  }
}
