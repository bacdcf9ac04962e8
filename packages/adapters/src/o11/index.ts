// @ferry/adapters/o11: O11 catalog discovery over any knex connection, the sample O11 database that
// tests, the CLI demo and benchmarks share, and sources that read discovered entities exactly.

export { discoverO11Catalog } from './o11-catalog-discovery.js';
export type { DiscoverO11Options } from './o11-catalog-discovery.js';
export { catalogDatabases, MAIN_CATALOG } from './o11-db-catalog.js';
export { parseReferenceCode, parseDeleteRule, isBasicType } from './o11-type-code.js';
export { o11ColumnKind, o11SourceColumns, o11KeyColumns, o11KnexSource } from './o11-entity-source.js';
export type { O11KnexSourceOptions } from './o11-entity-source.js';
export { createSampleO11Database, dropSampleO11Database, sampleColumns } from './o11-sample-database.js';
export type {
  SampleExtension,
  SampleO11Database,
  SampleO11Entity,
  SampleO11Options,
} from './o11-sample-database.js';
export { CURRENCY_MAX, DATE_LIMITS } from './o11-sample-rows.js';
export type { SampleCounts, SampleRow } from './o11-sample-rows.js';
export { SAMPLE_FIRST_ORDER_ID, SAMPLE_ORDER_STATUSES } from './o11-sample-model.js';
export type { SampleAttribute, SampleEntity } from './o11-sample-model.js';
export {
  CYCLE_ENTITIES,
  DUPLICATE_KEY_ROWS,
  combineShapes,
  cycleCounts,
  cycleShape,
  duplicateKeyShape,
  FOREIGN_MODULE_SS_KEY,
  foreignModuleKeyShape,
  LEDGER_FIRST_ID,
  PRICE_ROW_MAPPING,
} from './o11-sample-shapes.js';
export { brandCode, brandCounts, brandShape, ITEMS_PER_BRAND } from './o11-sample-brands.js';
export {
  billAccount,
  employeeManager,
  MISSING_ACCOUNTS,
  MISSING_MANAGER,
  MISSING_NOTE_ACCOUNT,
  noteAccount,
  ORPHAN_ENTITIES,
  ORPHAN_ROWS,
  orphanShape,
  REJECTED_ACCOUNT,
  REJECTED_EMPLOYEE,
} from './o11-sample-orphans.js';
