// The runner's side of a sink's transactions: batches go into the open transaction strictly in
// sequence (each awaited before the next), a transaction's rejects are written just before its commit, and
// the transaction commits with the checkpoint after its last batch once it holds `commitEvery` rows.

import type { Batch, Row } from '../row.js';
import type { SinkTransaction, SinkTransactions, WriteContext } from '../sink.js';
import { openPipeline, recordOf } from './attempt-pipeline.js';
import { BatchCommitter } from './batch-committer.js';
import type { BatchRecord } from './checkpoint-tracker.js';
import type { EntityContext } from './entity-context.js';
import { attributeError } from './error-attribution.js';
import { InFlightWindow } from './in-flight-window.js';

/** @internal Drives one attempt's transactions; at most one is open. */
export class TransactionWriter {
  readonly #ctx: EntityContext;
  readonly #transactions: SinkTransactions;
  readonly #window: InFlightWindow;
  readonly #committer: BatchCommitter;
  readonly #onFailure: (error: unknown) => void;
  #chain: Promise<void> = Promise.resolve();
  #tx: SinkTransaction | undefined;
  #records: BatchRecord[] = [];
  #rows = 0;

  constructor(ctx: EntityContext, transactions: SinkTransactions, onFailure: (error: unknown) => void) {
    this.#ctx = ctx;
    this.#transactions = transactions;
    this.#window = new InFlightWindow(ctx.maxInFlight, ctx.batchBytes);
    this.#onFailure = onFailure;
    this.#committer = new BatchCommitter(ctx, (error) => this.fail(error));
  }

  get failed(): boolean {
    return this.#window.failed;
  }

  get failure(): unknown {
    return this.#window.failure;
  }

  /** Record the attempt's first failure and stop the read. */
  fail(error: unknown): void {
    this.#window.fail(error);
    this.#onFailure(error);
  }

  /**
   * Queue a batch once fewer than `maxInFlight` (and about `batchBytes` of measured bytes) wait to be
   * taken; false when the attempt failed.
   */
  async add(batch: Batch<Row>, sequence: number): Promise<boolean> {
    if (!(await this.#window.acquire(batch.bytes))) return false;
    const record = recordOf(batch, sequence);
    const context: WriteContext = {
      entity: this.#ctx.entity,
      runId: this.#ctx.run.runId,
      sequence,
      signal: this.#ctx.run.signal,
    };
    this.#chain = this.#chain.then(() => this.#write(batch, record, context));
    return true;
  }

  /** Wait until the batches waiting to be taken leave room in the byte budget. */
  room(): Promise<void> {
    return this.#window.room();
  }

  /** The source is exhausted: commit what the open transaction holds. */
  async finish(): Promise<void> {
    await this.#chain;
    const last = this.#records.at(-1);
    if (!this.#stopped() && last !== undefined) await this.#step('commit', last, () => this.#commit());
    await this.#rollback();
  }

  /** The attempt stops (abort or failure): wait for the step in progress, roll back the open one. */
  async abandon(): Promise<void> {
    await this.#chain;
    await this.#rollback();
  }

  async #write(batch: Batch<Row>, record: BatchRecord, context: WriteContext): Promise<void> {
    try {
      if (this.#stopped()) return;
      const written = await this.#step('write', record, async () => {
        this.#tx ??= await this.#begin(context);
        await this.#tx.write(batch, context);
      });
      if (!written) return;
      this.#records.push(record);
      this.#rows += record.rowsRead;
      if (this.#rows >= this.#ctx.commitEvery) await this.#step('commit', record, () => this.#commit());
    } finally {
      this.#window.release(batch.bytes);
    }
  }

  /**
   * Open a transaction. It starts after the durable position (the previous one committed before),
   * so its rows can be read again from there: the sink's `replay`.
   */
  #begin(context: WriteContext): Promise<SinkTransaction> {
    const after = this.#ctx.tracker.position;
    const { entity, runId, signal } = context;
    return this.#transactions.begin({
      entity,
      runId,
      signal,
      replay: () => openPipeline(this.#ctx, signal, after),
    });
  }

  /** Commit the open transaction; a failed commit is rolled back (nothing of it is durable). */
  async #commit(): Promise<void> {
    const tx = this.#tx!;
    const records = this.#records;
    this.#tx = undefined;
    this.#records = [];
    this.#rows = 0;
    let committed = false;
    try {
      await this.#committer.commit(records, async (checkpoint) => {
        // The rejects of a transaction are written with its commit: a rolled-back one leaves none.
        for (const record of records) await this.#committer.writeRejects(record);
        await tx.commit(checkpoint);
        committed = true;
      });
    } catch (error) {
      if (!committed) await tx.rollback().catch(() => undefined);
      throw error;
    }
  }

  /** Run a step; a failure rolls back and (unless the run was aborted) becomes the attempt's failure. */
  async #step(operation: string, record: BatchRecord, body: () => Promise<void>): Promise<boolean> {
    try {
      await body();
      return true;
    } catch (error) {
      const failure = this.#ctx.run.signal.aborted
        ? error
        : attributeError(error, {
            entity: this.#ctx.entity,
            operation,
            component: this.#ctx.pipeline.sink.name,
            position: record.position,
          });
      this.fail(failure);
      await this.#rollback();
      return false;
    }
  }

  async #rollback(): Promise<void> {
    const tx = this.#tx;
    this.#tx = undefined;
    this.#records = [];
    this.#rows = 0;
    if (tx !== undefined) await tx.rollback().catch(() => undefined);
  }

  #stopped(): boolean {
    return this.#window.failed || this.#ctx.run.signal.aborted;
  }
}
