// What `ferry assess` reports: findings (a blocking pattern, where, how many) and notes (a check that
// could not run on this database, and why). Both carry counts and metadata names only, never row values.

/** The blocking patterns `ferry assess` looks for. */
export type AssessCheck =
  | 'text-too-long'
  | 'binary-too-large'
  | 'multiple-tenants'
  | 'user-provider'
  | 'user-email-empty'
  | 'user-email-duplicate'
  | 'static-autonumber'
  | 'deleted-static-reference'
  | 'ignore-orphan'
  | 'dangling-reference'
  | 'nul-character'
  | 'duplicate-key';

/** One finding: what, where (module, or entity and attribute), how many rows. */
export interface AssessFinding {
  readonly check: AssessCheck;
  /** The O11 module, for module-level findings (`user-provider`). */
  readonly module?: string;
  readonly entity?: string;
  readonly attribute?: string;
  /** Rows affected (for `multiple-tenants`, the number of tenants). */
  readonly rows: number;
  readonly message: string;
}

/** The whole assessment. */
export interface AssessReport {
  readonly findings: readonly AssessFinding[];
  /** Checks that did not run on this database, each with the reason (`not checked: …`). */
  readonly notes: readonly string[];
}
