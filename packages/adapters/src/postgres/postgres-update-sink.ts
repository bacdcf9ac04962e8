// The deferred second pass for self and cyclic references: rows first load with those references
// NULL, then this sink sets them by key with one UPDATE ... FROM unnest(...) per batch. Updating is
// idempotent, so a re-written batch is harmless; with a checkpoint store the sink has `transactions`
// and the runner commits the checkpoint with the updates.

import { FerryError } from '@ferry/core';
import type { Batch, Row, Sink } from '@ferry/core';
import type { TargetColumn, TargetTable } from '@ferry/mapping';
import { qualifiedTableName, quoteIdentifier, tableLabel } from './identifiers.js';
import type { PgPool, PgPoolClient } from './pg-driver.js';
import { paramArrays, tableColumns } from './param-arrays.js';
import type { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { statementSink } from './statement-sink.js';
import { planTable } from './table-plan.js';

/** Options of {@link postgresUpdateSink}. */
export interface PostgresUpdateSinkOptions {
  readonly pool: PgPool;
  readonly table: TargetTable;
  /** The columns this pass sets (the deferred references); the key comes from `table.key`. */
  readonly columns: readonly string[];
  /** Gives the sink `transactions` (rows and checkpoint in one transaction, into this store). */
  readonly checkpoints?: PostgresCheckpointStore;
  readonly name?: string;
  /**
   * What the error for rows without a target row advises (after a colon). Default: `load the first pass
   * before the second`; `ferry sync`'s detach step says its diff is stale.
   */
  readonly missingAdvice?: string;
}

/** Build the UPDATE of a deferred pass: `$1..$n` are arrays, key columns first. */
export function updateStatement(table: TargetTable, columns: readonly TargetColumn[]): string {
  const keys = table.key.map(quoteIdentifier);
  const all = [...tableColumns(table, table.key), ...columns];
  const arrays = all.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
  const names = all.map((column) => quoteIdentifier(column.name)).join(', ');
  const sets = columns.map((c) => `${quoteIdentifier(c.name)} = v.${quoteIdentifier(c.name)}`).join(', ');
  const match = keys.map((key) => `t.${key} = v.${key}`).join(' AND ');
  return `UPDATE ${qualifiedTableName(table)} AS t SET ${sets} FROM unnest(${arrays}) AS v(${names}) WHERE ${match}`;
}

/**
 * A sink that sets columns of existing rows by key (the second pass of a cyclic mapping). Every row of
 * a batch must match a target row, otherwise the write fails with `not-found`.
 */
export function postgresUpdateSink(options: PostgresUpdateSinkOptions): Sink<Row> {
  const { pool, table } = options;
  const plan = planTable(table);
  const columns = tableColumns(table, options.columns);
  const all = [...tableColumns(table, table.key), ...columns];
  const sql = updateStatement(table, columns);
  const label = tableLabel(table);

  const arrays = paramArrays(plan, all);

  const updateRows = async (client: PgPoolClient, batch: Batch<Row>, entity: string): Promise<void> => {
    const values = arrays(batch.rows);
    const result = batch.rows.length === 0 ? { rowCount: 0 } : await client.query(sql, values);
    if ((result.rowCount ?? 0) < batch.rows.length) {
      throw new FerryError(
        `${batch.rows.length - (result.rowCount ?? 0)} row(s) of the batch have no row in ${label} to update: ${options.missingAdvice ?? 'load the first pass before the second'}`,
        { code: 'FERRY_PG_UPDATE_MISSING', reason: 'not-found', entity, operation: 'update' },
      );
    }
  };

  return statementSink({
    pool,
    label,
    name: options.name ?? `postgres-update:${label}`,
    operation: 'update',
    checkpoints: options.checkpoints,
    apply: updateRows,
  });
}
