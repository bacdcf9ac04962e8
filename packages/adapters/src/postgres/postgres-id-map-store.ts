// Source-to-target key maps in PostgreSQL (`<schema>.id_map`), one namespace per run. `putIn(client, …)`
// writes inside the sink's transaction so the ids a batch assigned commit with its rows.

import type { IdMapStore } from '@ferry/core';
import { DEFAULT_FERRY_SCHEMA, ensureFerrySchema } from './ferry-schema.js';
import { quoteIdentifier } from './identifiers.js';
import type { PgPool, PgQueryable } from './pg-driver.js';
import { classifyPostgresError } from './postgres-errors.js';

/** Options of {@link PostgresIdMapStore}. */
export interface PostgresIdMapStoreOptions {
  readonly pool: PgPool;
  /** Schema of Ferry's tables, created on first use. Default `ferry`. */
  readonly schema?: string;
  /** Separates maps of different runs or migrations; usually the run id. */
  readonly namespace: string;
}

/**
 * An {@link IdMapStore} in PostgreSQL. The first target key recorded for a source key wins: recording
 * the same pair again, or another target for a known source key, changes nothing.
 */
export class PostgresIdMapStore implements IdMapStore {
  readonly pool: PgPool;
  readonly schema: string;
  readonly namespace: string;
  readonly #table: string;

  constructor(options: PostgresIdMapStoreOptions) {
    this.pool = options.pool;
    this.schema = options.schema ?? DEFAULT_FERRY_SCHEMA;
    this.namespace = options.namespace;
    this.#table = `${quoteIdentifier(this.schema)}.id_map`;
  }

  /** Create the schema and table if missing (done automatically by `get` and `put`). */
  ensure(): Promise<void> {
    return ensureFerrySchema(this.pool, this.schema);
  }

  async get(entity: string, sourceKeys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    if (sourceKeys.length === 0) return found;
    await this.ensure();
    const sql =
      `SELECT source_key, target_key FROM ${this.#table} ` +
      `WHERE namespace = $1 AND entity = $2 AND source_key = ANY($3::text[])`;
    try {
      const result = await this.pool.query(sql, [this.namespace, entity, [...sourceKeys]]);
      for (const row of result.rows) found.set(String(row.source_key), String(row.target_key));
      return found;
    } catch (error) {
      throw classifyPostgresError(error, { entity, table: this.#table, operation: 'id-map.get' });
    }
  }

  async put(entity: string, pairs: readonly (readonly [string, string])[]): Promise<void> {
    await this.ensure();
    await this.putIn(this.pool, entity, pairs);
  }

  /** Record pairs through `client`, e.g. inside the sink's transaction. Call {@link ensure} first. */
  async putIn(
    client: PgQueryable,
    entity: string,
    pairs: readonly (readonly [string, string])[],
  ): Promise<void> {
    if (pairs.length === 0) return;
    const sql =
      `INSERT INTO ${this.#table} (namespace, entity, source_key, target_key) ` +
      `SELECT $1, $2, s, t FROM unnest($3::text[], $4::text[]) AS u(s, t) ON CONFLICT DO NOTHING`;
    const sources = pairs.map((pair) => pair[0]);
    const targets = pairs.map((pair) => pair[1]);
    try {
      await client.query(sql, [this.namespace, entity, sources, targets]);
    } catch (error) {
      throw classifyPostgresError(error, { entity, table: this.#table, operation: 'id-map.put' });
    }
  }
}
