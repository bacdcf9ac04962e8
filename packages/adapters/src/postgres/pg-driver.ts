// The slice of `pg` this adapter uses, typed structurally: callers pass a `pg.Pool` (or anything of the
// same shape) that they built and configured themselves, and the adapter never imports the driver.
// Only `pg-copy-streams` is imported at run time, for the COPY FROM STDIN protocol.

/** A query result: the adapter reads only `rows` and `rowCount`. */
export interface PgResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly rowCount: number | null;
}

/** Something `client.query()` can run itself, like a `pg-copy-streams` COPY stream. */
export interface PgSubmittable {
  submit(connection: never): void;
}

/** Anything that runs a parameterised query: a pool or a client (inside its transaction). */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<PgResult>;
}

/** A connection: `pg.Client` or a `pg.PoolClient`. */
export interface PgClient extends PgQueryable {
  query(text: string, values?: unknown[]): Promise<PgResult>;
  query<T extends PgSubmittable>(submittable: T): T;
  /** A checked-out pg client emits `error` when its backend dies; an unhandled one crashes Node. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection lent by a pool; `release(error)` destroys it instead of returning it. */
export interface PgPoolClient extends PgClient {
  release(error?: Error | boolean): void;
}

/** A `pg.Pool` (or compatible): the adapter checks out one client per sink and queries on the pool. */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
}
