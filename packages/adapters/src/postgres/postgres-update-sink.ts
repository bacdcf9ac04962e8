// The deferred second pass for self and cyclic references: rows first load with those references
// NULL, then this sink sets them by key with one UPDATE ... FROM unnest(...) per batch. Updating is
// idempotent, so a re-written batch is harmless; with a checkpoint store the checkpoint commits with it.

import { FerryError } from '@ferry/core';
import type { Batch, Checkpoint, Row, Sink, WriteContext } from '@ferry/core';
import type { TargetColumn, TargetTable } from '@ferry/mapping';
import { encodeParamValue, dateFormFor } from './copy-encoder.js';
import { withRowContext } from './copy-row-encoder.js';
import { qualifiedTableName, quoteIdentifier, tableLabel } from './identifiers.js';
import type { PgPool } from './pg-driver.js';
import type { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { classifyPostgresError } from './postgres-errors.js';
import { planTable } from './table-plan.js';

/** Options of {@link postgresUpdateSink}. */
export interface PostgresUpdateSinkOptions {
  readonly pool: PgPool;
  readonly table: TargetTable;
  /** The columns this pass sets (the deferred references); the key comes from `table.key`. */
  readonly columns: readonly string[];
  /** Enables `writeWithCheckpoint` (rows and checkpoint in one transaction). */
  readonly checkpoints?: PostgresCheckpointStore;
  readonly name?: string;
}

/** Build the UPDATE of a deferred pass: `$1..$n` are arrays, key columns first. */
export function updateStatement(table: TargetTable, columns: readonly TargetColumn[]): string {
  const keys = table.key.map(quoteIdentifier);
  const all = [...lookup(table, table.key), ...columns];
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
  const columns = lookup(table, options.columns);
  const all = [...lookup(table, table.key), ...columns];
  const forms = all.map((column) => dateFormFor(column.type));
  const sql = updateStatement(table, columns);
  const label = tableLabel(table);

  const arrays = (rows: readonly Row[]): (string | null)[][] => {
    const out = all.map(() => new Array<string | null>(rows.length));
    let r = 0;
    let c = 0;
    try {
      for (; r < rows.length; r++) {
        for (c = 0; c < all.length; c++) out[c]![r] = encodeParamValue(rows[r]![all[c]!.name], forms[c]!);
      }
    } catch (error) {
      throw withRowContext(error, plan, rows[r], all[c]?.name);
    }
    return out;
  };

  const update = async (batch: Batch<Row>, checkpoint: Checkpoint | undefined, context: WriteContext) => {
    const values = arrays(batch.rows);
    const client = await pool.connect().catch((error: unknown) => {
      throw classifyPostgresError(error, { entity: context.entity, table: label, operation: 'connect' });
    });
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = batch.rows.length === 0 ? { rowCount: 0 } : await client.query(sql, values);
      if ((result.rowCount ?? 0) < batch.rows.length) {
        throw new FerryError(
          `${batch.rows.length - (result.rowCount ?? 0)} row(s) of the batch have no row in ${label} to update: load the first pass before the second`,
          {
            code: 'FERRY_PG_UPDATE_MISSING',
            reason: 'not-found',
            entity: context.entity,
            operation: 'update',
          },
        );
      }
      if (checkpoint !== undefined) await options.checkpoints!.saveIn(client, checkpoint);
      await client.query('COMMIT');
    } catch (error) {
      const failure = classifyPostgresError(error, {
        entity: context.entity,
        table: label,
        operation: 'update',
      });
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : failure;
      });
      if (failure.reason === 'connection') broken = failure;
      throw failure;
    } finally {
      client.release(broken);
    }
  };

  const sink: Sink<Row> = {
    name: options.name ?? `postgres-update:${label}`,
    open: async () => options.checkpoints?.ensure(),
    write: (batch, context) => update(batch, undefined, context),
    close: () => Promise.resolve(),
  };
  if (options.checkpoints === undefined) return sink;
  return { ...sink, writeWithCheckpoint: (batch, checkpoint, context) => update(batch, checkpoint, context) };
}

function lookup(table: TargetTable, names: readonly string[]): TargetColumn[] {
  return names.map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    if (column === undefined) {
      throw new FerryError(`column ${name} is not in target ${tableLabel(table)}: fix the mapping`, {
        code: 'FERRY_PG_TABLE',
        reason: 'invalid-config',
        attribute: name,
      });
    }
    return column;
  });
}
