// The PostgreSQL sink: one client, one open transaction at a time. With a PostgreSQL checkpoint store
// it has the `transactions` capability: core's runner opens transactions, streams batches into them
// (COPY pieces or INSERTs) and commits each with its checkpoint (and id-map entries) when it decides.
// Without one, `write` commits each batch in a transaction of its own.

import { FerryError } from '@ferry/core';
import type {
  Batch,
  Row,
  Sink,
  SinkOutcome,
  SinkTransactions,
  TransactionContext,
  WriteContext,
} from '@ferry/core';
import type { PgPoolClient } from './pg-driver.js';
import { connectHeld } from './pg-held-client.js';
import type { HeldClient } from './pg-held-client.js';
import { classifyPostgresError } from './postgres-errors.js';
import type { PostgresSinkOptions } from './postgres-sink-options.js';
import { PostgresTransaction } from './postgres-transaction.js';
import { resetSequences } from './sequence-reset.js';
import type { TablePlan } from './table-plan.js';
import { planTable } from './table-plan.js';

const noop = (): void => undefined;

/** The sink behind {@link postgresSink}. */
export class PostgresSink implements Sink<Row> {
  readonly name: string;
  /** Present when `checkpoints` is given: rows and checkpoint commit in one transaction. */
  readonly transactions?: SinkTransactions<Row>;
  readonly #options: PostgresSinkOptions;
  readonly #plan: TablePlan;
  #lane: Promise<void> = Promise.resolve();
  #held: HeldClient | undefined;
  #tx: PostgresTransaction | undefined;
  #storesReady = false;
  constructor(options: PostgresSinkOptions) {
    this.#options = options;
    this.#plan = planTable(options.table);
    this.name = options.name ?? `postgres:${this.#plan.label}`;
    const checkpoints = options.checkpoints;
    if (checkpoints !== undefined)
      this.transactions = { checkpoints, begin: (context) => this.#begin(context) };
  }

  /** Prepare Ferry's tables (checkpoint and id-map stores). */
  async open(): Promise<void> {
    await this.#ensureStores();
  }

  /** One batch in a transaction of its own (no checkpoint); resolves once committed. */
  write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    const step = this.#lane.then(async () => {
      if (context.signal.aborted) throw stopped(this.#plan, context.entity);
      const tx = await this.#begin(context);
      try {
        await tx.write(batch, context);
        await tx.commit(undefined);
      } catch (error) {
        await tx.rollback();
        throw error;
      }
    });
    this.#lane = step.then(noop, noop);
    return step;
  }

  async close(outcome: SinkOutcome): Promise<void> {
    try {
      await this.#lane;
      await this.#tx?.rollback();
      if (outcome === 'completed' && this.#options.resetSequences !== false)
        await resetSequences(this.#options.pool, this.#options.table);
    } finally {
      this.#release(undefined);
    }
  }

  async #begin(context: TransactionContext): Promise<PostgresTransaction> {
    if (this.#tx !== undefined) {
      throw new FerryError(`sink ${this.name}: a transaction is already open`, {
        code: 'FERRY_PG_TX_OPEN',
        reason: 'invalid-config',
        entity: context.entity,
        operation: 'begin',
      });
    }
    await this.#ensureStores();
    const client = await this.#acquire(context.entity);
    // Filled once `begin` returns: a failed BEGIN ends the transaction (onEnd) before there is one.
    const opened: { tx?: PostgresTransaction } = {};
    const tx = await PostgresTransaction.begin({
      client,
      plan: this.#plan,
      options: this.#options,
      entity: context.entity,
      signal: context.signal,
      replay: context.replay,
      onEnd: (committed, broken) => {
        if (opened.tx !== undefined && this.#tx === opened.tx) this.#tx = undefined;
        // A backend that died (perhaps while the transaction waited for rows) is destroyed, not pooled.
        // After a rollback the client goes back to the pool too: a sink whose write failed and that
        // nobody closes (a caller's bug) must not keep a connection out of the pool for good.
        if (!committed || broken !== undefined || this.#held?.error !== undefined) this.#release(broken);
      },
    });
    opened.tx = tx;
    this.#tx = tx;
    return tx;
  }

  /**
   * The held client, or a new one when there is none or the held one reported an error (its backend
   * ended between transactions, e.g. a target restart): that one is destroyed, never reused.
   */
  async #acquire(entity: string): Promise<PgPoolClient> {
    if (this.#held?.error !== undefined) this.#release(this.#held.error);
    if (this.#held !== undefined) return this.#held.client;
    try {
      this.#held = await connectHeld(this.#options.pool);
      return this.#held.client;
    } catch (error) {
      throw classifyPostgresError(error, { entity, table: this.#plan.label, operation: 'connect' });
    }
  }

  #release(error: Error | undefined): void {
    const held = this.#held;
    this.#held = undefined;
    held?.release(error);
  }

  async #ensureStores(): Promise<void> {
    if (this.#storesReady) return;
    await this.#options.checkpoints?.ensure();
    await this.#options.idMap?.store.ensure();
    this.#storesReady = true;
  }
}

function stopped(plan: TablePlan, entity: string): FerryError {
  return new FerryError(`write to ${plan.label} was aborted: rolled back`, {
    code: 'FERRY_PG_ROLLED_BACK',
    reason: 'aborted',
    entity,
    operation: 'write',
  });
}

/**
 * A PostgreSQL {@link Sink} for one target table. With a {@link PostgresCheckpointStore} (on the same
 * database) it has `transactions`, and core's runner takes that store as the entity's checkpoint store.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.TARGET_URL });
 * const checkpoints = new PostgresCheckpointStore({ pool });
 * const sink = postgresSink({ pool, table, mode: 'copy', checkpoints });
 * await run({ entities: [{ entity: 'Customer', source, sink }] }, { runId, commitEvery: 50_000 });
 * ```
 */
export function postgresSink(options: PostgresSinkOptions): Sink<Row> {
  return new PostgresSink(options);
}
