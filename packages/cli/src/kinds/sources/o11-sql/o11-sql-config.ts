// The `source` block of an O11 database (`kind: "o11-sql"`): its TypeScript type and its JSON Schema.

import { envRefSchema } from '../../../config/config-schema-parts.js';
import type { EnvRef } from '../../../config/config-types.js';

/** An O11 database read through knex (SQL Server rows through `mssql`). */
export interface O11SqlSourceConfig {
  readonly kind: 'o11-sql';
  /** knex client: `mssql`, `mysql2`, `pg`, `better-sqlite3`, `oracledb`. */
  readonly client: 'mssql' | 'mysql2' | 'pg' | 'better-sqlite3' | 'oracledb';
  /** Connection string from the environment; for `better-sqlite3` use `filename` instead. */
  readonly connection?: EnvRef;
  readonly filename?: string;
  /** Only these O11 modules (logical names). */
  readonly modules?: readonly string[];
  /**
   * SQL Server only. `read-committed` (default): each page is its own statement, so rows committed
   * while a table is read may be missed; `snapshot`: each table is read in one SNAPSHOT transaction
   * (needs ALLOW_SNAPSHOT_ISOLATION ON; `ferry assess` says whether it is).
   */
  readonly isolation?: 'read-committed' | 'snapshot';
}

/** The JSON Schema of {@link O11SqlSourceConfig}. */
export const o11SqlSourceSchema = {
  additionalProperties: false,
  required: ['kind', 'client'],
  properties: {
    kind: { const: 'o11-sql' },
    client: { enum: ['mssql', 'mysql2', 'pg', 'better-sqlite3', 'oracledb'] },
    connection: envRefSchema,
    filename: { type: 'string', minLength: 1 },
    modules: { type: 'array', items: { type: 'string', minLength: 1 } },
    isolation: { enum: ['read-committed', 'snapshot'] },
  },
} as const;
