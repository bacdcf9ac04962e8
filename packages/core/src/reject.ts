// Rejected rows: a row that cannot be written is recorded with its reason, never silently lost.
// A reject names the entity, key, attribute and rule, and never carries the row's values.

/** Why a row was turned away, without any of its values. */
export interface RejectRecord {
  /** The entity (pipeline) name. */
  readonly entity: string;
  /** The row's source key, one string per key column. */
  readonly key: readonly string[];
  /** The attribute that failed, when one did. */
  readonly attribute?: string;
  /** A stable rule name, e.g. `mandatory`, `max-length`, `precision`, `date-range`, `dangling-reference`. */
  readonly rule: string;
  /** A human explanation that names no value, e.g. "text is 2001 UTF-16 units, target allows 2000". */
  readonly message: string;
  /**
   * For `dangling-reference`: the referenced entity and the key of the parent row that is not in the
   * target (missing in the source, or rejected). A key, like `key`, never a value.
   */
  readonly parent?: { readonly entity: string; readonly key: readonly string[] };
}

/** Where reject records go. `write` resolves when they are durable. */
export interface RejectSink {
  write(records: readonly RejectRecord[]): Promise<void>;
  close?(): Promise<void>;
}
