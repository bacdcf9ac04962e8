// The delete side of `ferry sync`: target rows whose O11 key is gone from the source are deleted by
// key, one `DELETE ... USING unnest(...)` per batch, in the transaction the runner commits with the
// checkpoint. Every key of a batch must delete a row: a key with no row means the diff is stale, which
// is an error rather than a silent no-op.

import { FerryError } from '@ferry/core';
import type { Batch, Row, Sink } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { qualifiedTableName, quoteIdentifier, tableLabel } from './identifiers.js';
import type { PgPool, PgPoolClient } from './pg-driver.js';
import { paramArrays, tableColumns } from './param-arrays.js';
import type { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { statementSink } from './statement-sink.js';
import { planTable } from './table-plan.js';

/** Options of {@link postgresDeleteSink}. */
export interface PostgresDeleteSinkOptions {
  readonly pool: PgPool;
  /** The target table; rows hold its key columns (`table.key`) and nothing else is read. */
  readonly table: TargetTable;
  /** Gives the sink `transactions` (deletes and checkpoint in one transaction, into this store). */
  readonly checkpoints?: PostgresCheckpointStore;
  readonly name?: string;
}

/** The DELETE of a batch of keys: `$1..$n` are arrays, one per key column; returns the 1-based index of each key deleted. */
export function deleteStatement(table: TargetTable): string {
  const keys = tableColumns(table, table.key);
  const arrays = keys.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
  const names = keys.map((column) => quoteIdentifier(column.name));
  const match = names.map((key) => `t.${key} = v.${key}`).join(' AND ');
  return `DELETE FROM ${qualifiedTableName(table)} AS t USING unnest(${arrays}) WITH ORDINALITY AS v(${names.join(', ')}, ord) WHERE ${match} RETURNING v.ord`;
}

/**
 * A sink that deletes target rows by key (rows hold the target key columns). Each row of a batch
 * must delete one target row, otherwise the write fails with `FERRY_PG_DELETE_MISSING` (`not-found`)
 * and the transaction rolls back.
 *
 * @example
 * ```ts
 * const sink = postgresDeleteSink({ pool, table, checkpoints });
 * // rows: [{ id: '42' }, { id: '43' }] delete the rows keyed 42 and 43
 * ```
 */
export function postgresDeleteSink(options: PostgresDeleteSinkOptions): Sink<Row> {
  const { pool, table } = options;
  if (table.key.length === 0) {
    throw new FerryError(`target ${tableLabel(table)} has no key: rows cannot be deleted by key`, {
      code: 'FERRY_PG_TABLE',
      reason: 'invalid-config',
    });
  }
  const label = tableLabel(table);
  const sql = deleteStatement(table);
  const arrays = paramArrays(planTable(table), tableColumns(table, table.key));
  const deleteRows = async (client: PgPoolClient, batch: Batch<Row>, entity: string): Promise<void> => {
    if (batch.rows.length === 0) return;
    const result = await client.query(sql, arrays(batch.rows));
    const deleted = new Set((result.rows as { ord: string }[]).map((row) => Number(row.ord) - 1));
    const missing = batch.rows.filter((_, i) => !deleted.has(i));
    if (missing.length > 0) {
      const keys = missing.slice(0, 10).map((row) => table.key.map((k) => String(row[k])).join('/'));
      throw new FerryError(
        `${missing.length} key(s) of the batch have no row in ${label} to delete (${keys.join(', ')}${missing.length > 10 ? ', ...' : ''}): the diff is stale, run \`ferry sync\` without --diff-file, it diffs again`,
        { code: 'FERRY_PG_DELETE_MISSING', reason: 'not-found', entity, operation: 'delete' },
      );
    }
  };
  return statementSink({
    pool,
    label,
    name: options.name ?? `postgres-delete:${label}`,
    operation: 'delete',
    checkpoints: options.checkpoints,
    apply: deleteRows,
  });
}
