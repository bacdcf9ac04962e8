// The slice of the `mssql` package the SQL Server source uses, typed structurally: callers pass the
// ConnectionPool they built (and close it themselves); tests pass a hand-written fake.

/** A request: typed inputs, then one query. `mssql`'s `Request` fits. */
export interface MssqlRequestLike {
  input(name: string, type: unknown, value: unknown): unknown;
  query(command: string): Promise<{ readonly recordset?: readonly Record<string, unknown>[] | undefined }>;
  /** Cancels the running query (used on abort). */
  cancel?(): unknown;
}

/** A transaction on one pooled connection. `mssql`'s `Transaction` fits. */
export interface MssqlTransactionLike {
  /** Begins with an isolation level (`sql.ISOLATION_LEVEL.SNAPSHOT` is 5). */
  begin(isolationLevel?: number): Promise<unknown>;
  commit(): Promise<unknown>;
  rollback(): Promise<unknown>;
  request(): MssqlRequestLike;
}

/** A connection pool. `mssql`'s `ConnectionPool` fits. */
export interface MssqlPoolLike {
  request(): MssqlRequestLike;
  /** A new transaction; needed only for `isolation: 'snapshot'`. */
  transaction?(): MssqlTransactionLike;
}
