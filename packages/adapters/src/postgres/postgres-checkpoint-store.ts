// Checkpoints in PostgreSQL, beside the target rows. `saveIn(client, …)` runs inside a sink's open
// transaction, so one COMMIT makes rows and checkpoint durable together (exactly-once). Saves are
// monotonic in SQL: the upsert only replaces a row when the new checkpoint is newer.

import type { Checkpoint, CheckpointStatus, CheckpointStore, Position } from '@ferry/core';
import { DEFAULT_FERRY_SCHEMA, ensureFerrySchema } from './ferry-schema.js';
import { quoteIdentifier } from './identifiers.js';
import type { PgPool, PgQueryable } from './pg-driver.js';
import { classifyPostgresError } from './postgres-errors.js';

/** Options of the PostgreSQL stores. */
export interface PostgresStoreOptions {
  /** A pool the caller built (`new pg.Pool(...)`); the store never closes it. */
  readonly pool: PgPool;
  /** Schema of Ferry's tables, created on first use. Default `ferry`. */
  readonly schema?: string;
}

const COLUMNS =
  'run_id, entity, position, sequence::text AS sequence, status, rows_read::text AS rows_read, ' +
  'rows_written::text AS rows_written, rows_rejected::text AS rows_rejected, ' +
  'rows_filtered::text AS rows_filtered, updated_at, notes';

/**
 * A {@link CheckpointStore} in PostgreSQL (`<schema>.checkpoints`).
 *
 * @example
 * ```ts
 * const checkpoints = new PostgresCheckpointStore({ pool });
 * const sink = postgresSink({ pool, table, mode: 'copy', checkpoints }); // rows + checkpoint, one COMMIT
 * ```
 */
export class PostgresCheckpointStore implements CheckpointStore {
  readonly pool: PgPool;
  readonly schema: string;
  readonly #table: string;
  readonly #upsert: string;

  constructor(options: PostgresStoreOptions) {
    this.pool = options.pool;
    this.schema = options.schema ?? DEFAULT_FERRY_SCHEMA;
    this.#table = `${quoteIdentifier(this.schema)}.checkpoints`;
    this.#upsert =
      `INSERT INTO ${this.#table} AS c (run_id, entity, position, sequence, status, rows_read, rows_written, ` +
      `rows_rejected, rows_filtered, updated_at, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ` +
      `ON CONFLICT (run_id, entity) DO UPDATE SET position = EXCLUDED.position, sequence = EXCLUDED.sequence, ` +
      `status = EXCLUDED.status, rows_read = EXCLUDED.rows_read, rows_written = EXCLUDED.rows_written, ` +
      `rows_rejected = EXCLUDED.rows_rejected, rows_filtered = EXCLUDED.rows_filtered, ` +
      `updated_at = EXCLUDED.updated_at, notes = EXCLUDED.notes WHERE EXCLUDED.sequence > c.sequence OR ` +
      `(EXCLUDED.sequence = c.sequence AND c.status = 'running' AND EXCLUDED.status = 'completed')`;
  }

  /** Create the schema and table if missing (done automatically by every other method). */
  ensure(): Promise<void> {
    return ensureFerrySchema(this.pool, this.schema);
  }

  async load(runId: string, entity: string): Promise<Checkpoint | undefined> {
    const sql = `SELECT ${COLUMNS} FROM ${this.#table} WHERE run_id = $1 AND entity = $2`;
    const result = await this.#query('checkpoint.load', sql, [runId, entity]);
    const row = result.rows[0];
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    await this.ensure();
    await this.saveIn(this.pool, checkpoint);
  }

  /**
   * Save through `client`, e.g. inside the sink's open transaction so the checkpoint commits with the
   * rows. Call {@link ensure} once before the transaction.
   */
  async saveIn(client: PgQueryable, checkpoint: Checkpoint): Promise<void> {
    const values = [
      checkpoint.runId,
      checkpoint.entity,
      JSON.stringify(checkpoint.position),
      String(checkpoint.sequence),
      checkpoint.status,
      String(checkpoint.rowsRead),
      String(checkpoint.rowsWritten),
      String(checkpoint.rowsRejected),
      String(checkpoint.rowsFiltered),
      checkpoint.updatedAt,
      checkpoint.notes === undefined ? null : JSON.stringify(checkpoint.notes),
    ];
    try {
      await client.query(this.#upsert, values);
    } catch (error) {
      throw classifyPostgresError(error, { entity: checkpoint.entity, operation: 'checkpoint.save' });
    }
  }

  async list(runId: string): Promise<readonly Checkpoint[]> {
    const sql = `SELECT ${COLUMNS} FROM ${this.#table} WHERE run_id = $1 ORDER BY entity`;
    const result = await this.#query('checkpoint.list', sql, [runId]);
    return result.rows.map(toCheckpoint);
  }

  async delete(runId: string): Promise<void> {
    await this.#query('checkpoint.delete', `DELETE FROM ${this.#table} WHERE run_id = $1`, [runId]);
  }

  async #query(operation: string, sql: string, values: unknown[]) {
    await this.ensure();
    try {
      return await this.pool.query(sql, values);
    } catch (error) {
      throw classifyPostgresError(error, { table: this.#table, operation });
    }
  }
}

function toCheckpoint(row: Record<string, unknown>): Checkpoint {
  return {
    runId: String(row.run_id),
    entity: String(row.entity),
    position: JSON.parse(String(row.position)) as Position,
    sequence: Number(row.sequence),
    status: String(row.status) as CheckpointStatus,
    rowsRead: Number(row.rows_read),
    rowsWritten: Number(row.rows_written),
    rowsRejected: Number(row.rows_rejected),
    rowsFiltered: Number(row.rows_filtered),
    updatedAt: String(row.updated_at),
    // Notes are stored as JSON text (NULL when none).
    ...(typeof row.notes === 'string' ? { notes: JSON.parse(row.notes) as Record<string, number> } : {}),
  };
}
