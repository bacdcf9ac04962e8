// The PostgreSQL sink: one client, one open transaction at a time, rows streamed into it (COPY pieces or
// INSERTs) and committed every `commitEvery` rows or when writes pause (group commit). A write resolves
// only when its transaction committed; with a PostgreSQL checkpoint store the checkpoint (and id-map
// entries) commit in that same transaction. Any failure rolls back and fails the sink until `open`.

import { FerryError } from '@ferry/core';
import type { Batch, Checkpoint, Row, Sink, SinkOutcome, WriteContext } from '@ferry/core';
import type { PgPoolClient } from './pg-driver.js';
import { classifyPostgresError } from './postgres-errors.js';
import type { PostgresSinkOptions } from './postgres-sink-options.js';
import { DEFAULT_COMMIT_EVERY } from './postgres-sink-options.js';
import { resetSequences } from './sequence-reset.js';
import type { TablePlan } from './table-plan.js';
import { planTable } from './table-plan.js';
import { createTxWriter } from './tx-writers.js';
import type { TxWriter } from './tx-writers.js';

/** A transaction in progress and the writes waiting for its commit. */
interface OpenTx {
  readonly client: PgPoolClient;
  readonly writer: TxWriter;
  rows: number;
  checkpoint: Checkpoint | undefined;
  readonly pairs: [string, readonly (readonly [string, string])[]][];
  readonly done: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: FerryError) => void;
  settled: boolean;
  detach: () => void;
}

const noop = (): void => undefined;

/** The sink behind {@link postgresSink}. */
export class PostgresSink implements Sink<Row> {
  readonly name: string;
  /** One connection, transactions in order, every later write refused after a failure: see Sink.ordered. */
  readonly ordered = true;
  readonly #options: PostgresSinkOptions;
  readonly #plan: TablePlan;
  readonly #commitEvery: number;
  #lane: Promise<void> = Promise.resolve();
  #client: PgPoolClient | undefined;
  #clientError: Error | undefined;
  #tx: OpenTx | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failure: FerryError | undefined;
  #storesReady = false;
  readonly #onClientError = (error: Error): void => {
    this.#clientError = error;
    // The backend died while the transaction waited for more rows: fail its writes now.
    const tx = this.#tx;
    if (tx !== undefined) void this.#rollback(tx, this.#classify(error, tx.checkpoint?.entity, 'write'));
  };

  constructor(options: PostgresSinkOptions) {
    this.#options = options;
    this.#plan = planTable(options.table);
    this.#commitEvery = Math.max(1, options.commitEvery ?? DEFAULT_COMMIT_EVERY);
    this.name = options.name ?? `postgres:${this.#plan.label}`;
  }

  /** Prepare Ferry's tables; also clears a previous failure so a resumed run can write again. */
  async open(): Promise<void> {
    this.#failure = undefined;
    await this.#ensureStores();
  }

  write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    return this.#write(batch, undefined, context);
  }

  /** Rows and checkpoint (and id-map entries) in one transaction. Needs `checkpoints` in the options. */
  writeWithCheckpoint(batch: Batch<Row>, checkpoint: Checkpoint, context: WriteContext): Promise<void> {
    return this.#write(batch, checkpoint, context);
  }

  /** Commit the open transaction now; resolves once it committed (or failed, rejecting its writes). */
  async flush(): Promise<void> {
    await this.#serial(async () => {
      if (this.#tx !== undefined) await this.#commit(this.#tx);
    });
    if (this.#failure !== undefined) throw this.#failure;
  }

  async close(outcome: SinkOutcome): Promise<void> {
    clearTimeout(this.#timer);
    try {
      if (outcome === 'completed') {
        await this.#serial(async () => {
          if (this.#tx !== undefined) await this.#commit(this.#tx);
        });
        if (this.#failure !== undefined) throw this.#failure;
        if (this.#options.resetSequences !== false)
          await resetSequences(this.#options.pool, this.#options.table);
      } else {
        const failure = stopped(this.#plan, outcome);
        if (this.#tx !== undefined) await this.#rollback(this.#tx, failure);
        await this.#serial(async () => {
          if (this.#tx !== undefined) await this.#rollback(this.#tx, failure);
        });
      }
    } finally {
      this.#release();
    }
  }

  async #write(batch: Batch<Row>, checkpoint: Checkpoint | undefined, context: WriteContext): Promise<void> {
    if (context.signal.aborted) throw stopped(this.#plan, 'aborted', context.entity);
    const tx = await this.#serial(() => this.#append(batch, checkpoint, context));
    if (tx.rows >= this.#commitEvery) void this.#serial(() => this.#commit(tx));
    else this.#arm(tx);
    return tx.done;
  }

  /** Run steps one after another on the sink's client. */
  #serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#lane.then(step);
    this.#lane = run.then(noop, noop);
    return run;
  }

  async #append(
    batch: Batch<Row>,
    checkpoint: Checkpoint | undefined,
    context: WriteContext,
  ): Promise<OpenTx> {
    // After a failure, rows queued behind it must not commit (their checkpoint would skip lost rows).
    if (this.#failure !== undefined) throw this.#failure;
    const tx = this.#tx ?? (await this.#begin(context));
    try {
      if (batch.rows.length > 0) await tx.writer.write(batch.rows);
      const idMap = this.#options.idMap;
      if (idMap !== undefined) {
        const pairs = idMap.pairs(batch);
        if (pairs.length > 0) tx.pairs.push([idMap.entity ?? context.entity, pairs]);
      }
    } catch (error) {
      const failure = this.#classify(error, context.entity, 'write');
      await this.#rollback(tx, failure);
      throw failure;
    }
    tx.rows += batch.rows.length;
    if (checkpoint !== undefined) tx.checkpoint = checkpoint;
    return tx;
  }

  async #begin(context: WriteContext): Promise<OpenTx> {
    await this.#ensureStores();
    const client = await this.#acquire(context.entity);
    let resolve: () => void = noop;
    let reject: (error: FerryError) => void = noop;
    const done = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
    // Marked handled: a transaction may fail after every write waiting on it has already failed.
    done.catch(noop);
    const writer = createTxWriter(this.#options.mode ?? 'copy', this.#plan, this.#options.pieceRows ?? 1000);
    const tx: OpenTx = {
      client,
      writer,
      rows: 0,
      checkpoint: undefined,
      pairs: [],
      done,
      resolve,
      reject,
      settled: false,
      detach: noop,
    };
    try {
      await client.query('BEGIN');
      await writer.begin(
        client,
        (error) => void this.#rollback(tx, this.#classify(error, context.entity, 'write')),
      );
    } catch (error) {
      const failure = this.#classify(error, context.entity, 'begin');
      await this.#rollback(tx, failure);
      throw failure;
    }
    const onAbort = (): void => void this.#rollback(tx, stopped(this.#plan, 'aborted', context.entity));
    context.signal.addEventListener('abort', onAbort, { once: true });
    tx.detach = () => context.signal.removeEventListener('abort', onAbort);
    this.#tx = tx;
    return tx;
  }

  async #commit(tx: OpenTx): Promise<void> {
    if (!this.#settle(tx)) return;
    try {
      await tx.writer.finish();
      const saved = tx.checkpoint;
      if (saved !== undefined) await this.#checkpoints(saved).saveIn(tx.client, saved);
      for (const [entity, pairs] of tx.pairs)
        await this.#options.idMap!.store.putIn(tx.client, entity, pairs);
      await tx.client.query('COMMIT');
    } catch (error) {
      const failure = this.#classify(error, tx.checkpoint?.entity, 'commit');
      this.#failure ??= failure;
      await this.#endTransaction(tx, failure);
      tx.reject(failure);
      return;
    }
    tx.resolve();
  }

  async #rollback(tx: OpenTx, failure: FerryError): Promise<void> {
    if (!this.#settle(tx)) return;
    this.#failure ??= failure;
    await tx.writer.abort();
    await this.#endTransaction(tx, failure);
    tx.reject(failure);
  }

  /** Mark a transaction finished (once) and forget it. */
  #settle(tx: OpenTx): boolean {
    if (tx.settled) return false;
    tx.settled = true;
    tx.detach();
    clearTimeout(this.#timer);
    if (this.#tx === tx) this.#tx = undefined;
    return true;
  }

  /** ROLLBACK; a connection that failed is destroyed instead of going back to the pool. */
  async #endTransaction(tx: OpenTx, failure: FerryError): Promise<void> {
    let broken = failure.reason === 'connection' || this.#clientError !== undefined;
    if (!broken)
      broken = await tx.client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
    if (broken && this.#client === tx.client) this.#release(this.#clientError ?? failure);
  }

  #arm(tx: OpenTx): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#serial(() => this.#commit(tx)), this.#options.lingerMs ?? 100);
  }

  async #acquire(entity: string): Promise<PgPoolClient> {
    if (this.#client !== undefined) return this.#client;
    try {
      const client = await this.#options.pool.connect();
      client.on('error', this.#onClientError);
      this.#client = client;
      this.#clientError = undefined;
      return client;
    } catch (error) {
      throw this.#classify(error, entity, 'connect');
    }
  }

  #release(error?: Error): void {
    const client = this.#client;
    if (client === undefined) return;
    this.#client = undefined;
    if (error === undefined && this.#clientError === undefined)
      client.removeListener('error', this.#onClientError);
    client.release(error ?? this.#clientError);
  }

  async #ensureStores(): Promise<void> {
    if (this.#storesReady) return;
    await this.#options.checkpoints?.ensure();
    await this.#options.idMap?.store.ensure();
    this.#storesReady = true;
  }

  #checkpoints(checkpoint: Checkpoint) {
    const store = this.#options.checkpoints;
    if (store === undefined) {
      throw new FerryError(`sink ${this.name} got a checkpoint but has no checkpoint store`, {
        code: 'FERRY_PG_NO_CHECKPOINT_STORE',
        reason: 'invalid-config',
        entity: checkpoint.entity,
      });
    }
    return store;
  }

  #classify(error: unknown, entity: string | undefined, operation: string): FerryError {
    return classifyPostgresError(error, { entity, table: this.#plan.label, operation });
  }
}

function stopped(plan: TablePlan, outcome: 'failed' | 'aborted', entity?: string): FerryError {
  return new FerryError(
    `write to ${plan.label} was ${outcome === 'failed' ? 'closed as failed' : 'aborted'}: rolled back`,
    {
      code: 'FERRY_PG_ROLLED_BACK',
      reason: outcome === 'aborted' ? 'aborted' : 'unknown',
      entity,
      operation: 'write',
    },
  );
}

/**
 * A PostgreSQL {@link Sink} for one target table. `writeWithCheckpoint` is present only when a
 * {@link PostgresCheckpointStore} is given.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.TARGET_URL });
 * const checkpoints = new PostgresCheckpointStore({ pool });
 * const sink = postgresSink({ pool, table, mode: 'copy', commitEvery: 50_000, checkpoints });
 * ```
 */
export function postgresSink(options: PostgresSinkOptions): Sink<Row> {
  const sink = new PostgresSink(options);
  const facade: Sink<Row> = {
    name: sink.name,
    open: () => sink.open(),
    write: (batch, context) => sink.write(batch, context),
    flush: () => sink.flush(),
    close: (outcome) => sink.close(outcome),
  };
  if (options.checkpoints === undefined) return facade;
  return {
    ...facade,
    writeWithCheckpoint: (batch, cp, context) => sink.writeWithCheckpoint(batch, cp, context),
  };
}
