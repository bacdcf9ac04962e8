// A sink that applies one statement per batch on a client of its own, in a transaction the runner
// drives (rows and checkpoint commit together when it has a checkpoint store), or one transaction per
// batch without one. The second-pass update and `ferry sync`'s delete are such sinks: idempotent by
// key, so only the statement differs.

import type { Batch, Checkpoint, FerryError, Row, Sink, SinkTransaction } from '@ferry/core';
import type { PgPool, PgPoolClient } from './pg-driver.js';
import { connectHeld } from './pg-held-client.js';
import type { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { classifyPostgresError } from './postgres-errors.js';

/** What a statement sink needs. */
export interface StatementSinkParts {
  readonly pool: PgPool;
  /** `schema.table`, for errors. */
  readonly label: string;
  readonly name: string;
  /** The operation errors name (`update`, `delete`). */
  readonly operation: string;
  readonly checkpoints?: PostgresCheckpointStore | undefined;
  /** Applies one batch on the transaction's client; throws what it found wrong. */
  apply(client: PgPoolClient, batch: Batch<Row>, entity: string): Promise<void>;
}

/** @internal A {@link Sink} applying `parts.apply` per batch (see the file comment). */
export function statementSink(parts: StatementSinkParts): Sink<Row> {
  const { pool, label, operation } = parts;

  /** A transaction on a client of its own, released when it ends. */
  const begin = async (
    entity: string,
  ): Promise<SinkTransaction<Row> & { commit(cp?: Checkpoint): Promise<void> }> => {
    const classify = (error: unknown, op: string): FerryError =>
      classifyPostgresError(error, { entity, table: label, operation: op });
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
          await parts.apply(client, batch, entity);
        } catch (error) {
          throw classify(error, operation);
        }
      },
      commit: async (checkpoint) => {
        try {
          if (checkpoint !== undefined) await parts.checkpoints!.saveIn(client, checkpoint);
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

  const checkpoints = parts.checkpoints;
  return {
    name: parts.name,
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
