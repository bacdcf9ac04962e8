// The per-batch look-ups of a row's references to other entities: remapped ids through the id map,
// kept ids through the runtime's ParentKeys (is the parent row in the target?). One call per batch
// and referenced entity, so memory and round trips stay bounded by the batch, not by the table.

import type { RejectRecord, Value } from '@ferry/core';
import type { CompiledAttribute } from './compiled-types.js';
import type { MappingRuntime } from './mapping-runtime.js';

/** One reference value of a mapped row that needs a look-up. */
export interface PendingReference {
  /** The mapped row, patched in place. */
  readonly out: Record<string, Value>;
  /** The row's index in the batch's output. */
  readonly index: number;
  readonly attribute: CompiledAttribute;
  /** Entity whose id map translates the value (remapped references, own key in pass 2). */
  readonly remapVia: string | undefined;
  /** Entity whose target must hold the referenced row (ids kept). */
  readonly checkVia: string | undefined;
  /** A parent not found: reject the row, set NULL, keep the id, or (own key in pass 2) filter it. */
  readonly onMissing: 'reject' | 'null' | 'keep' | 'filter';
  readonly value: string;
  /** The row's source key. */
  readonly key: readonly string[];
}

type Found = (p: PendingReference) => string | boolean | undefined;

async function lookUp(pending: readonly PendingReference[], runtime: MappingRuntime): Promise<Found> {
  const wanted = new Map<string, Set<string>>();
  for (const p of pending) {
    const slot = p.remapVia === undefined ? `check:${p.checkVia!}` : `remap:${p.remapVia}`;
    let keys = wanted.get(slot);
    if (keys === undefined) wanted.set(slot, (keys = new Set()));
    keys.add(p.value);
  }
  const ids = new Map<string, ReadonlyMap<string, string>>();
  const present = new Map<string, ReadonlySet<string>>();
  for (const [slot, keys] of wanted) {
    const entity = slot.slice(slot.indexOf(':') + 1);
    if (slot.startsWith('remap:')) ids.set(entity, await runtime.idMap!.get(entity, [...keys]));
    else present.set(entity, await runtime.parents!.existing(entity, [...keys]));
  }
  return (p) =>
    p.remapVia === undefined ? present.get(p.checkVia!)!.has(p.value) : ids.get(p.remapVia)!.get(p.value);
}

/**
 * Looks up every pending reference of a batch and patches the rows in place: remapped ids replaced,
 * missing parents handled by the reference's policy (rejects appended, counters added). Returns the
 * output indexes to drop, and why.
 */
export async function resolveReferences(
  pending: readonly PendingReference[],
  runtime: MappingRuntime,
  entity: string,
  rejects: RejectRecord[],
): Promise<Map<number, 'reject' | 'filter'>> {
  // Pass 2 only sets deferred references of rows pass 1 wrote: a reject there skips the update.
  const kept = runtime.pass === 2 ? '; pass 2 skips this update, the row keeps NULL here' : '';
  const found = await lookUp(pending, runtime);
  const dropped = new Map<number, 'reject' | 'filter'>();
  for (const p of pending) {
    if (dropped.has(p.index)) continue;
    const hit = found(p);
    if (typeof hit === 'string') p.out[p.attribute.target] = hit;
    if (hit !== undefined && hit !== false) continue;
    const parent = p.remapVia ?? p.checkVia!;
    const name = p.attribute.name;
    if (p.remapVia !== undefined) runtime.stats?.add(entity, name, 'missing-remapped-id');
    if (p.onMissing === 'keep') {
      runtime.stats?.add(entity, name, 'dangling-reference-kept');
      continue;
    }
    if (p.onMissing === 'null' && p.attribute.nullable) {
      p.out[p.attribute.target] = null;
      runtime.stats?.add(entity, name, 'dangling-reference-nulled');
      continue;
    }
    dropped.set(p.index, p.onMissing === 'filter' ? 'filter' : 'reject');
    if (p.onMissing === 'filter') continue;
    rejects.push({
      entity,
      key: p.key,
      attribute: name,
      rule: 'dangling-reference',
      message:
        (p.remapVia === undefined
          ? `the referenced ${parent} row is not in the target (missing in the source, or rejected)`
          : `no id of ${parent} is recorded for the referenced row (missing in the source, or rejected)`) +
        kept,
      parent: { entity: parent, key: [p.value] },
    });
  }
  return dropped;
}
