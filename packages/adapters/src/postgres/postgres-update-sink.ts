// The deferred second pass for self and cyclic references: rows first load with those references
// NULL, then this sink sets them by key with one UPDATE ... FROM unnest(...) per batch. Updating is
// idempotent, so a re-written batch is harmless; with a checkpoint store the sink has `transactions`
// and the runner commits the checkpoint with the updates.

import { FerryError } from '@ferry/core';
import type { Batch, Checkpoint, Row, Sink, SinkTransaction } from '@ferry/core';
import type { TargetColumn, TargetTable } from '@ferry/mapping';
import { encodeParamValue, dateFormFor } from './copy-encoder.js';
import { withRowContext } from './copy-row-encoder.js';
import { qualifiedTableName, quoteIdentifier, tableLabel } from './identifiers.js';
import type { PgPool, PgPoolClient } from './pg-driver.js';
import { connectHeld } from './pg-held-client.js';
import type { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { classifyPostgresError } from './postgres-errors.js';
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

  const updateRows = async (client: PgPoolClient, batch: Batch<Row>, entity: string): Promise<void> => {
    const values = arrays(batch.rows);
    const result = batch.rows.length === 0 ? { rowCount: 0 } : await client.query(sql, values);
    if ((result.rowCount ?? 0) < batch.rows.length) {
      throw new FerryError(
        `${batch.rows.length - (result.rowCount ?? 0)} row(s) of the batch have no row in ${label} to update: load the first pass before the second`,
        { code: 'FERRY_PG_UPDATE_MISSING', reason: 'not-found', entity, operation: 'update' },
      );
    }
  };

  /** A transaction on a client of its own, released when it ends. */
  const begin = async (
    entity: string,
  ): Promise<SinkTransaction<Row> & { commit(cp?: Checkpoint): Promise<void> }> => {
    const classify = (error: unknown, operation: string): FerryError =>
      classifyPostgresError(error, { entity, table: label, operation });
    const held = await connectHeld(pool).catch((error: unknown) => {
      throw classify(error, 'connect');
    });
    const { client } = held;
    let ended = false;
    const end = (broken?: Error): void => {
      ended = true;
      held.release(broken);
    };
    await client.query('BEGIN').catch((error: unknown) => {
      const failure = classify(error, 'begin');
      end(failure);
      throw failure;
    });
    return {
      write: async (batch) => {
        try {
          await updateRows(client, batch, entity);
        } catch (error) {
          throw classify(error, 'update');
        }
      },
      commit: async (checkpoint) => {
        try {
          if (checkpoint !== undefined) await options.checkpoints!.saveIn(client, checkpoint);
          await client.query('COMMIT');
        } catch (error) {
          throw classify(error, 'commit');
        }
        end();
      },
      rollback: async () => {
        if (ended) return;
        let broken: Error | undefined;
        await client.query('ROLLBACK').catch((error: unknown) => {
          broken = error instanceof Error ? error : new Error('ROLLBACK failed');
        });
        end(broken);
      },
    };
  };

  const checkpoints = options.checkpoints;
  return {
    name: options.name ?? `postgres-update:${label}`,
    open: async () => checkpoints?.ensure(),
    write: async (batch, context) => {
      const tx = await begin(context.entity);
      try {
        await tx.write(batch, context);
        await tx.commit();
      } catch (error) {
        await tx.rollback();
        throw error;
      }
    },
    close: () => Promise.resolve(),
    ...(checkpoints === undefined
      ? {}
      : { transactions: { checkpoints, begin: (context) => begin(context.entity) } }),
  };
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
