// The shapes `ferry diff` produces and `ferry sync` consumes (issue 12): per entity, the keys that
// differ between the mapped source and the target, found by range checksums computed inside both
// databases and bisection. Keys are the O11 source keys, one exact string per key column in the
// entity's key order (64-bit and decimal keys never pass through a JS number).

/** One key: one exact string per key column of the entity, in key order. */
export type DiffKey = readonly string[];

/** What differs in one entity. */
export interface EntityDiff {
  /** The mapping's entity name, e.g. `Sales.Order`. */
  readonly entity: string;
  /** `schema.table` of the target. */
  readonly table: string;
  /** Keys whose mapped row is in the source and not in the target (to insert). */
  readonly onlyInSource: readonly DiffKey[];
  /** Keys whose row is in the target and gone from the source (to delete, per the delete policy). */
  readonly onlyInTarget: readonly DiffKey[];
  /** Keys present on both sides whose mapped values differ (to update). */
  readonly changed: readonly DiffKey[];
  /** Rows counted on each side (source: mapped rows, rejected and filtered ones excluded). */
  readonly sourceRows: number;
  readonly targetRows: number;
}

/** The differences of a migration, entity by entity in plan order. */
export interface DiffReport {
  readonly ok: boolean;
  readonly entities: readonly EntityDiff[];
}
