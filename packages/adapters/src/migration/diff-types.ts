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
  /**
   * Keys held by more source rows than target rows (a key that is not unique in the source, one of
   * whose rows the run lost). Not in `onlyInSource`: an upsert by key cannot restore such a row.
   */
  readonly duplicates?: readonly DiffKey[];
  /** Source rows the mapping rejected or filtered in the ranges read into Node (they belong in no target). */
  readonly rejected?: number;
  readonly filtered?: number;
  /**
   * `sql`: the source side's checksums were computed in the source database (push-down); `node`: its
   * rows were read and mapped in Node, range by range, because `fallback` (the reason) cannot be
   * written in SQL.
   */
  readonly method?: 'sql' | 'node';
  readonly fallback?: string;
  /** The mapped source's and the target's checksums (`<sum1>-<sum2>` of the row hashes). */
  readonly sourceChecksum?: string;
  readonly targetChecksum?: string;
  /** What the diff cost on each side: queries, and rows that crossed the wire (keys, hashes or rows). */
  readonly cost?: {
    readonly source: { readonly queries: number; readonly rowsFetched: number };
    readonly target: { readonly queries: number; readonly rowsFetched: number };
  };
}

/** The differences of a migration, entity by entity in plan order. */
export interface DiffReport {
  readonly ok: boolean;
  readonly entities: readonly EntityDiff[];
}
