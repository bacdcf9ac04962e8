// A stage that rewrites reference attributes from O11 ids to the ODC ids the parent entity's sink put
// into the id map. The mapping package has the general remap; this small stage serves the HTTP path
// (and tests) until then. A reference with no known target is rejected (or set to NULL on request),
// never sent with an O11 id that would point at the wrong ODC record.

import type { Batch, IdMapStore, RejectRecord, Row, Stage, Value } from '@ferry/core';

/** Options of {@link remapReferences}. */
export interface RemapReferencesOptions {
  readonly idMap: IdMapStore;
  /** Reference attribute → the entity (as named in the id map) it points at, e.g. `{ CustomerId: 'Customer' }`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Key attribute(s) of the rows, to name rejected rows. Default `Id`. */
  readonly key?: string | readonly string[];
  /** What to do with a reference whose target has no id: reject the row (default) or send NULL. */
  readonly missing?: 'reject' | 'null';
}

/**
 * Remaps reference attributes through the id map. NULL references stay NULL.
 *
 * @example
 * ```ts
 * stages: [remapReferences({ idMap, attributes: { CustomerId: 'Customer' } })]
 * ```
 */
export function remapReferences(options: RemapReferencesOptions): Stage<Row, Row> {
  const key = typeof options.key === 'string' ? [options.key] : (options.key ?? ['Id']);
  const entries = Object.entries(options.attributes);
  return async function* remap(input, context) {
    for await (const batch of input) {
      yield await remapBatch(batch, context.entity, entries, key, options);
    }
  };
}

async function remapBatch(
  batch: Batch<Row>,
  entity: string,
  entries: readonly (readonly [string, string])[],
  key: readonly string[],
  options: RemapReferencesOptions,
): Promise<Batch<Row>> {
  const maps = new Map<string, ReadonlyMap<string, string>>();
  for (const [attribute, target] of entries) {
    const wanted = batch.rows
      .map((row) => row[attribute])
      .filter((v) => v !== null && v !== undefined)
      .map(String);
    maps.set(attribute, await options.idMap.get(target, [...new Set(wanted)]));
  }
  const rows: Row[] = [];
  const rejects: RejectRecord[] = [...(batch.rejects ?? [])];
  for (const row of batch.rows) {
    const out: Record<string, Value> = { ...row };
    let rejected: RejectRecord | undefined;
    for (const [attribute, target] of entries) {
      const value = row[attribute];
      if (value === null || value === undefined) continue;
      const mapped = maps.get(attribute)!.get(String(value));
      if (mapped !== undefined) out[attribute] = mapped;
      else if (options.missing === 'null') out[attribute] = null;
      else {
        rejected = {
          entity,
          key: key.map((name) => String(row[name])),
          attribute,
          rule: 'dangling-reference',
          message: `${attribute} points at a ${target} with no ODC id (missing or not migrated)`,
        };
        break;
      }
    }
    if (rejected === undefined) rows.push(out);
    else rejects.push(rejected);
  }
  return { ...batch, rows, ...(rejects.length === 0 ? {} : { rejects }) };
}
