// @ferry/adapters/postgres: the PostgreSQL sink (COPY, upsert, insert), the deferred update pass, the
// checkpoint and id-map stores in a `ferry` schema, target-table DDL and the SQLSTATE classifier.
// The driver is the caller's: pass a `pg.Pool` you built.

export type { PgPool, PgPoolClient, PgClient, PgQueryable, PgResult, PgSubmittable } from './pg-driver.js';
export type { HeldClient } from './pg-held-client.js';
export { holdClient, connectHeld } from './pg-held-client.js';
export type { DateForm } from './copy-encoder.js';
export {
  escapeCopyText,
  encodeCopyValue,
  encodeParamValue,
  formatDate,
  dateFormFor,
  COPY_NULL,
} from './copy-encoder.js';
export { encodeCopyRows, encodeCopyRowParts } from './copy-row-encoder.js';
export type { TablePlan } from './table-plan.js';
export { planTable } from './table-plan.js';
export { quoteIdentifier, qualifiedTableName } from './identifiers.js';
export type { PostgresErrorContext } from './postgres-errors.js';
export { classifyPostgresError, copyErrorColumn, copyErrorLine, postgresReason } from './postgres-errors.js';
export type { PostgresSinkMode } from './tx-writers.js';
export type { PostgresSinkOptions, PostgresSinkIdMap } from './postgres-sink-options.js';
export { postgresSink, PostgresSink } from './postgres-sink.js';
export type { PostgresUpdateSinkOptions } from './postgres-update-sink.js';
export { postgresUpdateSink, updateStatement } from './postgres-update-sink.js';
export type { PostgresDeleteSinkOptions } from './postgres-delete-sink.js';
export { postgresDeleteSink, deleteStatement } from './postgres-delete-sink.js';
export type { PostgresStoreOptions } from './postgres-checkpoint-store.js';
export { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
export type { PostgresIdMapStoreOptions } from './postgres-id-map-store.js';
export { PostgresIdMapStore } from './postgres-id-map-store.js';
export { DEFAULT_FERRY_SCHEMA, ferrySchemaDdl, ensureFerrySchema } from './ferry-schema.js';
export { createTable, createTableSql, columnTypeSql } from './create-table.js';
export { resetSequences } from './sequence-reset.js';
export type { PostgresParentKeysOptions } from './parent-keys.js';
export { postgresParentKeys } from './parent-keys.js';
