// Parent look-ups for the diff. The mapping checks each reference against the parent's target table,
// but a diff compares the mapped source with what a run would write: a parent the catch-up is about
// to insert (a key only in the source, found while diffing the parent first) is present, and one it
// is about to delete (a key only in the target) is gone. Without this, every row that references a
// new parent looks rejected, so the diff calls it "only in the target" and a sync would delete it.

import type { CompiledEntity, ParentKeys } from '@ferry/mapping';
import type { DiffKey } from './diff-types.js';

/** The target's parents, corrected by the differences already found in the parents. */
export class PendingParents implements ParentKeys {
  readonly #target: ParentKeys | undefined;
  readonly #added = new Map<string, Set<string>>();
  readonly #removed = new Map<string, Set<string>>();

  constructor(target: ParentKeys | undefined) {
    this.#target = target;
  }

  /** Records an entity's differences (single-column keys: the only ones references point at). */
  record(entity: string, onlyInSource: readonly DiffKey[], onlyInTarget: readonly DiffKey[]): void {
    const single = (keys: readonly DiffKey[]): Set<string> =>
      new Set(keys.flatMap((key) => (key.length === 1 ? [key[0]!] : [])));
    this.#added.set(entity, single(onlyInSource));
    this.#removed.set(entity, single(onlyInTarget));
  }

  async existing(entity: string, keys: readonly string[]): Promise<ReadonlySet<string>> {
    const found = new Set(this.#target === undefined ? keys : await this.#target.existing(entity, keys));
    const added = this.#added.get(entity);
    const removed = this.#removed.get(entity);
    for (const key of keys) {
      if (added?.has(key) === true) found.add(key);
      if (removed?.has(key) === true) found.delete(key);
    }
    return found;
  }
}

/** `entities` with every entity after those it depends on (outside its cycle), plan order otherwise. */
export function dependencyOrder(entities: readonly CompiledEntity[]): CompiledEntity[] {
  const names = new Set(entities.map((e) => e.name));
  const done = new Set<string>();
  const order: CompiledEntity[] = [];
  while (order.length < entities.length) {
    const before = order.length;
    for (const entity of entities)
      if (!done.has(entity.name) && entity.dependsOn.every((d) => done.has(d) || !names.has(d))) {
        done.add(entity.name);
        order.push(entity);
      }
    // dependsOn is acyclic (cycles are broken by deferred references); never loop on a bad mapping.
    if (order.length === before) return [...entities];
  }
  return order;
}
