// @ferry/adapters/mssql: a keyset row source over SQL Server with `mssql`, its pure SQL builder, the
// SQL Server error classifier and pool settings from URLs or ADO.NET strings with TLS options.

export { mssqlSource, mssqlParamType } from './mssql-source.js';
export type { MssqlSourceOptions } from './mssql-source.js';
export type { MssqlPoolLike, MssqlRequestLike, MssqlTransactionLike } from './mssql-driver.js';
export {
  pageStatement,
  countStatement,
  estimateStatement,
  keysetCondition,
  columnTypesStatement,
  sizesStatement,
  largeColumns,
} from './mssql-sql.js';
export type { MssqlIsolation, MssqlStatement, MssqlTable } from './mssql-sql.js';
export { exactTextCast, keyParam, parseColumnTypes } from './mssql-column-type.js';
export type { MssqlColumnType, MssqlColumnTypes, MssqlParam, MssqlParamType } from './mssql-column-type.js';
export { classifyMssqlError, mssqlErrorNumber, toMssqlFerryError } from './mssql-error-classifier.js';
export {
  mssqlConfig,
  parseMssqlConnection,
  parseMssqlConnectionString,
  parseMssqlUrl,
} from './mssql-config.js';
export type { MssqlConnectionOptions, MssqlPoolConfig } from './mssql-config.js';
export { parseEncrypt } from './mssql-encrypt.js';
export type { MssqlEncrypt } from './mssql-encrypt.js';
export type { ColumnKind, SourceColumn } from '../knex/knex-column.js';
