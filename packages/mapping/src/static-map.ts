// Static entity references. O11 static records (OSSYS_ENTITY_RECORD) carry a DATA_ID (the row id,
// which can differ per environment) and a NAME (the label). A reference maps by id (kept) or by
// label (to the target's id for that label). Deleted records (IS_ACTIVE = 0) become NULL, counted;
// a mandatory reference to one rejects the row instead (reference-resolvers.ts).

import type { O11Catalog, O11StaticRecord } from './catalog.js';

/** How one static reference value resolves. */
export type StaticResolution =
  | { readonly status: 'ok'; readonly id: string }
  | { readonly status: 'deleted' }
  | { readonly status: 'unknown' }
  | { readonly status: 'unmatched-label' };

/** One static entity's records, and the target ids by label when mapping by label. */
export class StaticRecordMap {
  readonly entity: string;
  readonly #byDataId: ReadonlyMap<string, O11StaticRecord>;
  readonly #targetIds: ReadonlyMap<string, string>;

  /** `targetIds`: label (record NAME) → id of the same record in the target. */
  constructor(
    entity: string,
    records: readonly O11StaticRecord[],
    targetIds: ReadonlyMap<string, string> | Readonly<Record<string, string>> = new Map(),
  ) {
    this.entity = entity;
    this.#byDataId = new Map(records.map((record) => [record.dataId, record]));
    this.#targetIds = targetIds instanceof Map ? targetIds : new Map(Object.entries(targetIds));
  }

  /** Resolves a source id (DATA_ID as text) by id or by label. */
  resolve(dataId: string, by: 'id' | 'label'): StaticResolution {
    const record = this.#byDataId.get(dataId);
    if (record === undefined) return { status: 'unknown' };
    if (!record.isActive) return { status: 'deleted' };
    if (by === 'id') return { status: 'ok', id: dataId };
    const id = this.#targetIds.get(record.name);
    return id === undefined ? { status: 'unmatched-label' } : { status: 'ok', id };
  }
}

/** Static record maps for every static entity of a catalog, keyed by `Module.Entity`. */
export function staticMapsFromCatalog(
  catalog: O11Catalog,
  targetIds: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): ReadonlyMap<string, StaticRecordMap> {
  return new Map(
    catalog.entities
      .filter((entity) => entity.dataKind === 'staticEntity')
      .map(
        (entity) =>
          [
            entity.qualifiedName,
            new StaticRecordMap(
              entity.qualifiedName,
              entity.staticRecords ?? [],
              targetIds[entity.qualifiedName],
            ),
          ] as const,
      ),
  );
}
