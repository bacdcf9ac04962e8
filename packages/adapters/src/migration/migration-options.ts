// The options shared by o11MigrationPlan and verifyMigration: where O11 rows come from, which mapping
// turns them into target rows, and where they land in PostgreSQL. Kept in one place so the CLI,
// examples and benchmarks describe a migration once and both plan and verify it from that description.

import type { CheckpointStore, IdMapStore, Row, Source } from '@ferry/core';
import type { CompiledMapping, MappingSpec, O11Catalog, StaticRecordMap, UserMap } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { SourceColumn } from '../knex/knex-column.js';
import type { PgPool } from '../postgres/pg-driver.js';
import type { PostgresSinkMode } from '../postgres/tx-writers.js';

/**
 * What a source factory is asked for: one entity's physical table, its key and the columns to read
 * with their exact kinds. The fields match `knexSource` and `mssqlSource` options, so
 * `(spec) => mssqlSource({ pool, ...spec })` is a complete factory.
 */
export interface EntitySourceSpec {
  /** The pipeline name (`Module.Entity`), used as the source's label. */
  readonly name: string;
  readonly table: string;
  readonly schema?: string | undefined;
  /** The database of a module in another O11 database catalog (SQL Server); absent otherwise. */
  readonly database?: string | undefined;
  readonly key: readonly string[];
  readonly columns: readonly SourceColumn[];
}

/**
 * Where O11 rows are read: a knex instance (any dialect the knex source supports), or a factory for
 * other drivers (SQL Server through `mssqlSource`, files). The caller owns the connection.
 */
export type MigrationSource =
  | {
      readonly knex: Knex;
      /** Schema (PostgreSQL, SQL Server) or database (MariaDB) of the O11 tables; default the connection's. */
      readonly schema?: string;
    }
  | { readonly factory: (spec: EntitySourceSpec, pass: 1 | 2) => Source<Row> };

/** Where mapped rows are written: a PostgreSQL pool the caller built and ends. */
export interface MigrationTarget {
  readonly pool: PgPool;
  /** Put every target table in this schema instead of the mapping's (staging, tests). */
  readonly schema?: string;
  /**
   * - `copy` (default): COPY, fastest; needs `checkpoints` to be a PostgresCheckpointStore on this same
   *   pool, so rows and checkpoint commit together and a resumed run never re-writes a committed row.
   * - `upsert`: COPY into staging + INSERT ... ON CONFLICT; idempotent, so any checkpoint store works.
   * - `insert`: multi-row INSERT (targets without COPY); same requirement as `copy`.
   */
  readonly mode?: PostgresSinkMode;
  /** Create missing target tables (and schemas) from the mapping before planning. Default false. */
  readonly createTables?: boolean;
  /** Source rows per transaction (each entity's `commitEvery`). Default the run's (50 000). */
  readonly commitEvery?: number;
}

/**
 * Key-range partitions: a number for every entity, or a default with per-entity overrides (mapping
 * names). An entity with `n > 1` is read and written as up to `n` streams, each over its own key range
 * with its own checkpoint (`Sales.Order[2/4]`); the runner's `concurrency` bounds how many run at once.
 */
export type PartitionSetting =
  number | { readonly default?: number; readonly entities?: Readonly<Record<string, number>> };

/** Options of `o11MigrationPlan` and `verifyMigration`. */
export interface O11MigrationOptions {
  readonly source: MigrationSource;
  /** The discovered O11 catalog: physical tables and static records. */
  readonly catalog: O11Catalog;
  /** A spec, a compiled mapping, or absent for `generateMapping(catalog)`. */
  readonly mapping?: MappingSpec | CompiledMapping;
  readonly target: MigrationTarget;
  /**
   * The run's checkpoint store. A `PostgresCheckpointStore` on `target.pool` is wired into every sink
   * (exactly-once); any other store works in `upsert` mode only.
   */
  readonly checkpoints?: CheckpointStore;
  /** Only for remapped references; the PostgreSQL sink cannot remap identities (see README). */
  readonly idMap?: IdMapStore;
  /** Needed when the mapping has user references. */
  readonly userMap?: UserMap;
  /** Static record maps by `Module.Entity`; default `staticMapsFromCatalog(catalog)` (by id). */
  readonly statics?: ReadonlyMap<string, StaticRecordMap>;
  /** Only these entities (mapping names). */
  readonly entities?: readonly string[];
  /** Rows per source batch. Default the runner's. */
  readonly batchSize?: number;
  /**
   * Split entities into key ranges run as separate pipelines (knex sources only). Needs `runId` and
   * `checkpoints`: the first plan of a run persists the ranges there and every later plan of the same
   * run reuses them, so a resume never moves a row to another partition. Default 1 (whole tables).
   */
  readonly partitions?: PartitionSetting;
  /** The run id the plan is for; needed with `partitions`. */
  readonly runId?: string;
}
