// @ferry/adapters/migration: the glue the CLI, examples and benchmarks share. o11MigrationPlan wires
// O11 sources, the mapping stage and PostgreSQL sinks into a core Plan; verifyMigration checks that
// every target table holds exactly the mapped source rows (count + order-independent checksum).

export type {
  EntitySourceSpec,
  MigrationSource,
  MigrationTarget,
  O11MigrationOptions,
  PartitionSetting,
} from './migration-options.js';
export { partitionsFor } from './migration-partitions.js';
export { o11MigrationPlan } from './migration-plan.js';
export type { O11MigrationPlan } from './migration-plan.js';
export { entitySourceSpec, migrationSource } from './migration-source.js';
export { duplicateKeyError, findDuplicateKeys } from './duplicate-keys.js';
export type { DuplicateKeys } from './duplicate-keys.js';
export { verifyMigration } from './verify-migration.js';
export type { VerifyEntityReport, VerifyMigrationOptions, VerifyReport } from './verify-migration.js';
export type { KeyDifferences } from './verify-diff.js';
export { canonicalValue, canonicalDecimal } from './verify-canonical.js';
export type { CanonicalValue } from './verify-canonical.js';
export { TableDigest, canonicalLine } from './verify-digest.js';
export type { DiffKey, DiffReport, EntityDiff } from './diff-types.js';
export { diffMigration, isEqual } from './diff-migration.js';
export type { DiffMigrationOptions } from './diff-migration.js';
export { syncMigration } from './sync-migration.js';
export type { SyncMigrationOptions } from './sync-migration.js';
export { syncPlan, syncPipelineName } from './sync-plan.js';
export type { DeletePolicy, SyncAction, SyncPlanParts } from './sync-plan.js';
export type { SyncEntityReport, SyncReport } from './sync-report.js';
export { keyListSource, keyRowsSource } from './sync-key-source.js';
