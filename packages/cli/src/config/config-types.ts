// The shape of a `ferry.config.json`. Secrets (connection strings, tokens) are never literal values in
// the file: they are `{ "env": "NAME" }` references resolved from the environment at run time.

/** A reference to an environment variable holding a secret. */
export interface EnvRef {
  readonly env: string;
}

/**
 * Where O11 data is read from, and where rows are written: one of the registered kinds' blocks
 * (`kinds/sources/*`, `kinds/targets/*`, listed in `kinds/kinds.ts`).
 */
export type { SourceConfig, TargetConfig } from '../kinds/kinds.js';
import type { SourceConfig, TargetConfig } from '../kinds/kinds.js';

/** Where checkpoints and id maps live. */
export type StateConfig =
  { readonly kind: 'file'; readonly dir: string } | { readonly kind: 'postgres'; readonly schema?: string };

/** User mapping: where the ODC users come from and how O11 users match them. */
export interface UsersConfig {
  /** A JSON array or NDJSON file of ODC users (`id`, `email`, `username`), e.g. a portal export. */
  readonly odcUsersFile?: string;
  /** Default `email` (case-insensitive). */
  readonly match?: 'email' | 'username';
  readonly usernamePrefix?: string;
  /** What an unmatched user reference becomes; default `empty-guid` (the Migration Kit's choice). */
  readonly unmatched?: 'null' | 'empty-guid' | 'reject' | 'fail';
  /** ODC's User and Access Management API, for `ferry users`. */
  readonly odc?: OdcIdentityConfig;
  /** The policies of `ferry users`. */
  readonly policies?: UserPoliciesConfig;
  /** The O11 user id → ODC user key map `ferry users --apply` writes and `run` reads; default `.ferry/<runId>.user-map.json`. */
  readonly mapFile?: string;
}

/** An ODC API client (portal domain, client credentials from the environment). */
export interface OdcIdentityConfig {
  /** e.g. `https://acme.outsystems.dev` (https unless 127.0.0.1). */
  readonly portalUrl: string;
  readonly clientId: EnvRef;
  readonly clientSecret: EnvRef;
  /** Only application roles of this app (its asset key). */
  readonly assetKey?: string;
  /** The stage new groups belong to (environment key). */
  readonly environmentKey?: string;
}

/** What `ferry users` does with users that need a choice. */
export interface UserPoliciesConfig {
  /** Tenant of the user provider; default: the tenant of the migrated modules' user provider. */
  readonly tenantId?: string;
  readonly inactive?: 'skip' | 'create';
  readonly emptyEmail?: 'skip' | { readonly domain: string };
  readonly caseDuplicates?: 'merge' | 'skip';
}

/** Partitions per entity: `default` for every entity, `entities` by mapping name. */
export interface PartitionsConfig {
  readonly default?: number;
  readonly entities?: Readonly<Record<string, number>>;
}

/** A whole Ferry configuration. */
export interface FerryConfig {
  /** Identifies the run across resumes; defaults to `default`. */
  readonly runId?: string;
  readonly source: SourceConfig;
  readonly target: TargetConfig;
  /**
   * Path to the mapping file (relative to the config file); absent means generate from discovery
   * (o11-sql sources only: a `json` source needs it).
   */
  readonly mapping?: string;
  readonly state?: StateConfig;
  /** Only these entities (mapping names, e.g. `Sales.Order`); default every mapped entity. */
  readonly entities?: readonly string[];
  /** How O11 users become ODC users. */
  readonly users?: UsersConfig;
  /** The JSON report of `run` (relative to the config file); default `.ferry/<runId>.report.json`. */
  readonly report?: string;
  readonly batchSize?: number;
  /**
   * Bytes of Binary Data per source page and in flight at once (pages of tables with binary columns
   * are measured before they are read; a bigger value comes alone, read in 1 MiB slices). Bounds
   * memory with binary-heavy entities. Default 4 MiB (core's `DEFAULT_BATCH_BYTES`).
   */
  readonly batchBytes?: number;
  /**
   * Source rows per target transaction (rows and checkpoint commit together every this many rows;
   * a crash redoes at most this many). Default 50,000 (core's `run()` default).
   */
  readonly commitEvery?: number;
  /** Pipelines at once: entities, or key ranges of partitioned entities. Default 2. */
  readonly concurrency?: number;
  /**
   * Key-range partitions (o11-sql source, postgres target): a number for every entity, or a default
   * with per-entity numbers, e.g. `{ "default": 1, "entities": { "Sales.Order": 8 } }`. Default 1.
   */
  readonly partitions?: number | PartitionsConfig;
  /** Total connections to the source and the target together; lowers `concurrency` to fit. */
  readonly connections?: number;
  readonly rejects?: { readonly file?: string; readonly maxRows?: number; readonly maxRatio?: number };
  /**
   * `ferry run --distributed` and `ferry worker`: the run's jobs on pg-boss in the PostgreSQL state
   * database (see `DistributedOptions` of `@ferry/adapters/distributed` for each key and its default).
   */
  readonly distributed?: DistributedConfig;
}

/** The `distributed` block: pg-boss's schema, job expiry, retries and polling. */
export interface DistributedConfig {
  /** Schema of pg-boss's tables in the state database. Default `ferry_jobs`. */
  readonly schema?: string;
  /** Seconds without a worker's heartbeat before its job is retried elsewhere. Default 30, min 3. */
  readonly expireSeconds?: number;
  /** Retries of a failed or expired job before it fails for good. Default 10. */
  readonly retryLimit?: number;
  /** Seconds before a failed job is offered again. Default 2. */
  readonly retryDelaySeconds?: number;
  /** Seconds between an idle worker's requests for a job (and the coordinator's polls). Default 1. */
  readonly pollSeconds?: number;
}
