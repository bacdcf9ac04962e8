// The `target` block of a PostgreSQL target (`kind: "postgres"`): its TypeScript type and JSON Schema.

import { envRefSchema, identifierSchema } from '../../../config/config-schema-parts.js';
import type { EnvRef } from '../../../config/config-types.js';

/** A PostgreSQL database shaped like ODC's (or staging). */
export interface PostgresTargetConfig {
  readonly kind: 'postgres';
  readonly connection: EnvRef;
  /** `copy` (fast, exactly-once with the postgres state store), `upsert` (idempotent) or `insert`. */
  readonly mode?: 'copy' | 'upsert' | 'insert';
  /** Create missing target tables from the mapping (staging and test targets). */
  readonly createTables?: boolean;
  /** Put every entity's table in this schema, whatever the mapping says (staging, tests). */
  readonly schema?: string;
}

/** The JSON Schema of {@link PostgresTargetConfig}. */
export const postgresTargetSchema = {
  additionalProperties: false,
  required: ['kind', 'connection'],
  properties: {
    kind: { const: 'postgres' },
    connection: envRefSchema,
    mode: { enum: ['copy', 'upsert', 'insert'] },
    createTables: { type: 'boolean' },
    schema: identifierSchema,
  },
} as const;
