// The `ferry` schema (name configurable) that holds checkpoints and id maps beside the target data,
// created on first use. Creation runs under an advisory lock because concurrent `CREATE ... IF NOT
// EXISTS` statements can still collide in the catalog (unique violation on pg_namespace).

import type { PgPool } from './pg-driver.js';
import { connectHeld } from './pg-held-client.js';
import { quoteIdentifier } from './identifiers.js';
import { classifyPostgresError } from './postgres-errors.js';

/** The default schema of Ferry's own tables. */
export const DEFAULT_FERRY_SCHEMA = 'ferry';

const ensured = new WeakMap<PgPool, Map<string, Promise<void>>>();

/** The DDL of Ferry's tables in `schema` (quoted). */
export function ferrySchemaDdl(schema: string): string[] {
  const s = quoteIdentifier(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
      run_id text NOT NULL, entity text NOT NULL, position text NOT NULL, sequence bigint NOT NULL,
      status text NOT NULL, rows_read bigint NOT NULL, rows_written bigint NOT NULL,
      rows_rejected bigint NOT NULL, rows_filtered bigint NOT NULL, updated_at text NOT NULL,
      PRIMARY KEY (run_id, entity))`,
    // Notes (mapping counters of durable rows, JSON) came later: added to tables made before them.
    `ALTER TABLE ${s}.checkpoints ADD COLUMN IF NOT EXISTS notes text`,
    `CREATE TABLE IF NOT EXISTS ${s}.id_map (
      namespace text NOT NULL, entity text NOT NULL, source_key text NOT NULL, target_key text NOT NULL,
      PRIMARY KEY (namespace, entity, source_key))`,
  ];
}

/** Create Ferry's schema and tables once per pool and schema name (idempotent, race-safe). */
export function ensureFerrySchema(pool: PgPool, schema: string): Promise<void> {
  let perPool = ensured.get(pool);
  if (perPool === undefined) ensured.set(pool, (perPool = new Map<string, Promise<void>>()));
  let done = perPool.get(schema);
  if (done === undefined) {
    done = createSchema(pool, schema);
    perPool.set(schema, done);
    // A failure is not remembered: the next call tries again.
    done.catch(() => perPool.delete(schema));
  }
  return done;
}

async function createSchema(pool: PgPool, schema: string): Promise<void> {
  const ddl = ferrySchemaDdl(schema);
  const held = await connectHeld(pool).catch((error: unknown) => {
    throw classifyPostgresError(error, { table: schema, operation: 'schema.create' });
  });
  const { client } = held;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ferry-schema:${schema}`]);
    for (const statement of ddl) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    broken = error instanceof Error ? error : new Error('schema creation failed');
    await client.query('ROLLBACK').catch(() => undefined);
    throw classifyPostgresError(error, { table: schema, operation: 'schema.create' });
  } finally {
    held.release(broken);
  }
}
