// @ferry/adapters/mssql: a keyset row source over SQL Server with `mssql`, its pure SQL builder, the
// SQL Server error classifier and pool settings with TLS options.

export { mssqlSource } from './mssql-source.js';
export type { MssqlSourceOptions } from './mssql-source.js';
export type { MssqlPoolLike, MssqlRequestLike } from './mssql-driver.js';
export { pageStatement, countStatement, estimateStatement, keysetCondition } from './mssql-sql.js';
export type { MssqlIsolation, MssqlParam, MssqlParamType, MssqlStatement, MssqlTable } from './mssql-sql.js';
export { classifyMssqlError, mssqlErrorNumber, toMssqlFerryError } from './mssql-error-classifier.js';
export { mssqlConfig, parseMssqlUrl } from './mssql-config.js';
export type { MssqlConnectionOptions, MssqlPoolConfig } from './mssql-config.js';
export type { ColumnKind, SourceColumn } from '../knex/knex-column.js';
