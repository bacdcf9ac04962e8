// What a target table really is (read by target-introspect.ts), as the model check compares it with
// the mapping. Apart from the reader, so the check's types do not depend on the `pg` driver's.

/** A column as PostgreSQL describes it. */
export interface ActualColumn {
  readonly name: string;
  /** `integer`, `bigint`, `numeric`, `text`, `varchar`, `boolean`, `date`, `time`, `timestamp`, `bytea`, or another type name. */
  readonly type: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly nullable: boolean;
}

/** A table as PostgreSQL describes it; `references` maps a column to its foreign key's `schema.table`. */
export interface ActualTable {
  readonly columns: ReadonlyMap<string, ActualColumn>;
  readonly references: ReadonlyMap<string, string>;
}
