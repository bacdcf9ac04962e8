// Options of the PostgreSQL sink. Kept apart from the sink so the option docs read in one place.

import type { Batch, Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import type { PgPool } from './pg-driver.js';
import type { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import type { PostgresIdMapStore } from './postgres-id-map-store.js';
import type { PostgresSinkMode } from './tx-writers.js';

/** Id-map entries a batch produced, committed in the same transaction as its rows. */
export interface PostgresSinkIdMap {
  readonly store: PostgresIdMapStore;
  /** Entity name under which pairs are stored. Default: the write context's entity. */
  readonly entity?: string;
  /** The `[sourceKey, targetKey]` pairs of a batch, e.g. read from attributes a stage added. */
  pairs(batch: Batch<Row>): readonly (readonly [string, string])[];
}

/** Options of {@link postgresSink}. */
export interface PostgresSinkOptions {
  /** A pool the caller built (`new pg.Pool(...)`); the sink checks out one client and never ends the pool. */
  readonly pool: PgPool;
  /** The target table; columns marked `generated` are left to the database. */
  readonly table: TargetTable;
  /**
   * - `copy` (default): COPY FROM STDIN, fastest; a re-written batch duplicates (or violates the key).
   * - `upsert`: COPY into a temporary staging table, then INSERT ... ON CONFLICT (key) DO UPDATE:
   *   idempotent, so re-writing after a crash never duplicates.
   * - `insert`: multi-row INSERT, for targets without COPY (PGlite behind pglite-socket).
   */
  readonly mode?: PostgresSinkMode;
  /** Rows per COPY piece or INSERT statement. Default 1000. */
  readonly pieceRows?: number;
  /**
   * The checkpoint store on the same database: gives the sink the `transactions` capability, whose
   * commits save rows and checkpoint in one transaction (exactly-once). The runner then keeps the
   * entity's checkpoints in this store.
   */
  readonly checkpoints?: PostgresCheckpointStore;
  /** Id-map entries to commit with the rows. */
  readonly idMap?: PostgresSinkIdMap;
  /**
   * After `close('completed')`, move the identity/serial sequence of each key column to the key's
   * maximum, so the target's own inserts do not collide with preserved ids. Default true.
   */
  readonly resetSequences?: boolean;
  /** Sink name for logs and errors. Default `postgres:<schema.table>`. */
  readonly name?: string;
}
