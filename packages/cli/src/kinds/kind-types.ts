// What a source or target kind declares (see README, "Adding a kind"): its config block's JSON Schema,
// the commands it supports beyond the common ones, and each ability as an optional method. Commands
// ask the registry (kind-registry.ts) for the kind and call these; none of them tests `kind`.

import type { CheckpointStore, Plan, RunOptions } from '@ferry/core';
import type {
  DeletePolicy,
  DiffReport,
  MigrationSource,
  SyncReport,
  VerifyReport,
} from '@ferry/adapters/migration';
import type { CompiledEntity, CompiledMapping, MappingStats, O11Catalog, UserMap } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { PgPool } from '@ferry/adapters/postgres';
import type { CheckFinding } from '../check/model-check.js';
import type { CliSession } from '../session/cli-session.js';

/** A config block of some kind: `source` or `target` of a config. */
export interface KindConfig {
  readonly kind: string;
}

/** The JSON Schema of one kind's config block: an object whose `kind` property is a `const`. */
export interface KindSchema {
  readonly type?: 'object';
  readonly required: readonly string[];
  readonly additionalProperties: false;
  readonly properties: { readonly kind: { readonly const: string } } & Readonly<Record<string, unknown>>;
}

/** Commands only some source kinds support (every kind supports check, plan, run, status, reset, report). */
export type SourceCommand = 'discover' | 'assess' | 'users';
/** Commands only some target kinds support. */
export type TargetCommand = 'verify' | 'diff' | 'sync' | 'reset --truncate';

/** Where a migration's rows come from, and the catalog its sources are located by. */
export interface SourceParts {
  readonly source: MigrationSource;
  readonly catalog: O11Catalog;
}

/** An O11 user as the user map matches it (never the password). */
export interface O11UserRow {
  readonly id: string;
  readonly username: string;
  readonly email: string;
}

/**
 * A source kind: where O11 data is read. `C` is the type of its config block.
 *
 * Abilities are optional methods; a kind without `database` supports neither `discover`, `assess` nor
 * `users`, one without `catalog` needs a mapping file and gets no source-side check.
 */
export interface SourceKind<C extends KindConfig = KindConfig> {
  /** The `source.kind` value, e.g. `o11-sql`. */
  readonly kind: C['kind'];
  /** One line on what it reads (`--help`, errors, README). */
  readonly describe: string;
  /** The JSON Schema of its `source` block. */
  readonly schema: KindSchema;
  /** The commands of {@link SourceCommand} it supports. */
  readonly commands: readonly SourceCommand[];
  /** Where rows come from: a knex source or a factory of sources, and the catalog. */
  parts(session: CliSession, config: C): Promise<SourceParts>;
  /** The O11 database (a knex the session closes); needed by `discover`, `assess`, `users`, row estimates. */
  database?(session: CliSession, config: C): Promise<Knex>;
  /** Without `catalog`: why the config needs a mapping file (the rest of `FERRY_MAPPING_MISSING`). */
  readonly noCatalog?: string;
  /** The O11 catalog (active model of the configured modules). */
  catalog?(session: CliSession, config: C): Promise<O11Catalog>;
  /** Only these O11 modules (the mapping generated from the catalog, discover, users). */
  modules?(config: C): readonly string[] | undefined;
  /** O11 users for the user map; none without it. */
  users?(session: CliSession, config: C): Promise<O11UserRow[]>;
  /** Throws what the source cannot do for these entities (e.g. a missing export file); `check` and `run`. */
  refuse?(session: CliSession, config: C, entities: readonly CompiledEntity[]): Promise<void>;
  /** Notes `assess` adds (e.g. SQL Server's snapshot isolation). */
  assessNotes?(session: CliSession, config: C, db: Knex): Promise<string[]>;
}

/** What a target kind's `plan` gets: everything the run shares, the source included. */
export interface TargetPlanInput<C extends KindConfig = KindConfig> {
  readonly session: CliSession;
  readonly config: C;
  readonly parts: SourceParts;
  readonly compiled: CompiledMapping;
  /** Mapping names of the entities to run. */
  readonly entities: readonly string[];
  readonly runId: string;
  readonly checkpoints: CheckpointStore;
  readonly userMap: UserMap;
}

/** A built plan and what it holds open. */
export interface TargetPlan {
  readonly plan: Plan;
  readonly stats: MappingStats;
  /** Closes what the plan opened (an id map); the session closes connections. */
  close(): Promise<void>;
}

/** What a target kind's `sync` gets: the diff to apply and how. */
export interface TargetSyncInput {
  /** Mapping names of the entities to sync. */
  readonly entities: readonly string[];
  readonly diff: DiffReport;
  /** The sync's own run id (its checkpoints); the same id and diff resume it. */
  readonly syncId: string;
  readonly deletes: DeletePolicy;
  /** Check the diff against the target before writing (a new sync from a diff file): see syncMigration. */
  readonly checkDiff?: boolean;
  /** Options of core's `run` (signal, events, rejects, threshold, concurrency, ...). */
  readonly run: Omit<RunOptions, 'runId' | 'checkpoints'>;
}

/** A target kind: where mapped rows are written. `C` is the type of its config block. */
export interface TargetKind<C extends KindConfig = KindConfig> {
  /** The `target.kind` value, e.g. `postgres`. */
  readonly kind: C['kind'];
  /** One line on where rows go (`--help`, errors, README). */
  readonly describe: string;
  /** The JSON Schema of its `target` block. */
  readonly schema: KindSchema;
  /** The commands of {@link TargetCommand} it supports. */
  readonly commands: readonly TargetCommand[];
  /** Key-range partitions (`partitions` > 1) are supported. */
  readonly partitions?: boolean;
  /** The run's plan, to hand to core's `run`. */
  plan(input: TargetPlanInput<C>): Promise<TargetPlan>;
  /** Where an entity's rows go, as `plan` prints it. */
  label(config: C, entity: CompiledEntity): string;
  /** What the run report says of the target (`{ kind, mode? }`). */
  report(config: C): { readonly kind: string; readonly mode?: string };
  /** Throws what the target cannot take (a cycle, remapped ids); `check`, `plan`, `run`. */
  refuse?(config: C, entities: readonly CompiledEntity[]): void;
  /**
   * The PostgreSQL database the target is (a pool the session ends). With it, the run lock is an
   * advisory lock there and `state.kind: "postgres"` (the default state) lives there; without it,
   * both live in files of the state folder.
   */
  pool?(session: CliSession, config: C): Promise<PgPool>;
  /** The schema every target table is put in, whatever the mapping says. */
  schemaOverride?(config: C): string | undefined;
  /** A checker of each entity against the real target (tables); absent: `check` says so. */
  tableCheck?(
    session: CliSession,
    config: C,
    compiled: CompiledMapping,
  ): Promise<(entity: CompiledEntity) => Promise<CheckFinding[]>>;
  /** `ferry verify`: counts and checksums of mapped source and target. */
  verify?(
    session: CliSession,
    config: C,
    entities: readonly string[],
    signal: AbortSignal,
  ): Promise<VerifyReport>;
  /** `ferry diff`: the keys that differ between the mapped source and the target, per entity. */
  diff?(
    session: CliSession,
    config: C,
    entities: readonly string[],
    signal: AbortSignal,
  ): Promise<DiffReport>;
  /** `ferry sync`: applies a diff (upserts and deletes through the mapping), exactly-once. */
  sync?(session: CliSession, config: C, input: TargetSyncInput): Promise<SyncReport>;
  /** `ferry reset --truncate`: empties the entities' target, returns what it emptied. */
  truncate?(
    session: CliSession,
    config: C,
    entities: readonly CompiledEntity[],
  ): Promise<{ readonly emptied: readonly string[]; readonly rows: number }>;
  /** What `ferry init` writes for this target: the block, comments, environment it names. */
  readonly starter?: {
    readonly config: C;
    readonly notes: readonly string[];
    readonly env?: readonly [name: string, holds: string];
  };
}
