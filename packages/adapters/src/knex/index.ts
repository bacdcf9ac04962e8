// @ferry/adapters/knex: a keyset row source over any knex database (PostgreSQL, MariaDB/MySQL, SQLite;
// SQL Server and Oracle by the same SQL), its error classifier and exact-type driver settings.

export { knexSource } from './knex-source.js';
export type { KnexSourceOptions } from './knex-source.js';
export type { ColumnKind, SourceColumn } from './knex-column.js';
export { classifyKnexError, toKnexFerryError } from './knex-error-classifier.js';
export type { KnexErrorContext } from './knex-error-classifier.js';
export { withExactTypes } from './knex-exact-config.js';
export { knexDialect } from './knex-dialect.js';
export type { KnexDialect } from './knex-dialect.js';
export { validateIdentifier } from './knex-identifier.js';
export { keyListFragment, keysetAfter } from './knex-keyset.js';
export type { KeysetColumn, RawFragment } from './knex-keyset.js';
export { normalizeColumnValue, normalizeDateTimeText, formatNaiveDate } from './column-value.js';
export type { DateClock } from './column-value.js';
export { knexKeyRanges } from './knex-key-ranges.js';
export type { KnexKeyRangeOptions } from './knex-key-ranges.js';
