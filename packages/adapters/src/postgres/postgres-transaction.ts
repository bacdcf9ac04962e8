// One transaction of the PostgreSQL sink on its client: rows stream in as they arrive (COPY pieces or
// INSERTs), and `commit` finishes the writer, saves the checkpoint and the batches' id-map entries in
// the same transaction, then COMMITs. Rollback drops work in progress; a broken connection is destroyed.
// A data or integrity error is rolled back at once and its row named: the COPY line it reports, else
// found by splitting the latest batches or, when the row is not among them (a foreign key checked at the
// end of a long COPY), the transaction's rows re-read through the runner's replay.

import { FerryError } from '@ferry/core';
import type { Batch, Checkpoint, Row, SinkTransaction, WriteContext } from '@ferry/core';
import type { PgPoolClient } from './pg-driver.js';
import { findFailingRow, isRowError, rowsInMemory } from './failing-row.js';
import type { FailingRow, RowsToTry } from './failing-row.js';
import { classifyPostgresError, copyErrorLine } from './postgres-errors.js';
import type { PostgresSinkOptions } from './postgres-sink-options.js';
import { SentKeys } from './sent-keys.js';
import { rowKey } from './table-plan.js';
import type { TablePlan } from './table-plan.js';
import { createTxWriter } from './tx-writers.js';
import type { TxWriter } from './tx-writers.js';

/** What a transaction needs from its sink. */
export interface PostgresTransactionParts {
  readonly client: PgPoolClient;
  readonly plan: TablePlan;
  readonly options: PostgresSinkOptions;
  readonly entity: string;
  readonly signal: AbortSignal;
  /** The runner's replay of this transaction's batches (see `TransactionContext.replay`), if any. */
  readonly replay?: (() => AsyncIterable<Batch<Row>>) | undefined;
  /**
   * Called once when the transaction ended: `committed` says whether it committed; `broken` means the
   * connection must not be reused.
   */
  readonly onEnd: (committed: boolean, broken: Error | undefined) => void;
}

const noop = (): void => undefined;

/** The rows of a replay's batches. */
async function* rowsOf(batches: AsyncIterable<Batch<Row>>): AsyncIterable<readonly Row[]> {
  for await (const batch of batches) yield batch.rows;
}

/** @internal A transaction of {@link PostgresSink}; the runner (or the sink's own `write`) drives it. */
export class PostgresTransaction implements SinkTransaction<Row> {
  readonly #parts: PostgresTransactionParts;
  readonly #writer: TxWriter;
  readonly #pairs: [string, readonly (readonly [string, string])[]][] = [];
  /** A failure the writer reported between calls (e.g. the server refused a COPY piece), or the abort. */
  #failure: FerryError | undefined;
  #state: 'open' | 'committed' | 'rolled-back' = 'open';
  /**
   * The rows of the last two batches written: where a refused row is looked for (a COPY error can
   * surface on the write after the one that sent the row). Two batches at most, so memory stays flat.
   * Kept only where nothing else can find the row: in 'insert' mode (an INSERT's error names no line)
   * or without the runner's replay. Elsewhere a COPY error names its line (see {@link SentKeys}) and a
   * commit-time error is searched in the replay: holding every row for two more batches made V8 promote
   * all of them to the old generation (peak RSS ~180 instead of ~120 MB for 200k benchmark rows).
   */
  #recent: (readonly Row[])[] = [];
  readonly #keepRows: boolean;
  /**
   * The key of every row sent in this transaction, in stream order: a COPY error names its line, and
   * this says which row that was (kept compactly, one string per batch).
   */
  readonly #keys: SentKeys;
  /** The write or commit in progress: a rollback waits for it, so statements never interleave. */
  #busy: Promise<unknown> = Promise.resolve();
  #rolledBack: Promise<void> | undefined;
  // An abort interrupts a COPY in progress at once; the failed call then leads to `rollback`.
  readonly #onAbort = (): void => {
    this.#failure ??= this.#stopped();
    void this.#writer.abort();
  };

  private constructor(parts: PostgresTransactionParts) {
    this.#parts = parts;
    const { options, plan } = parts;
    this.#keys = new SentKeys(plan.target);
    this.#keepRows = options.mode === 'insert' || parts.replay === undefined;
    this.#writer = createTxWriter(options.mode ?? 'copy', plan, options.pieceRows ?? 1000);
  }

  /** BEGIN on the client and start the writer. */
  static async begin(parts: PostgresTransactionParts): Promise<PostgresTransaction> {
    const tx = new PostgresTransaction(parts);
    try {
      await parts.client.query('BEGIN');
      await tx.#writer.begin(parts.client, (error) => {
        if (tx.#state === 'open') tx.#failure ??= tx.#classify(error, 'write');
      });
    } catch (error) {
      const failure = tx.#classify(error, 'begin');
      tx.#state = 'rolled-back';
      await tx.#end(failure);
      throw failure;
    }
    parts.signal.addEventListener('abort', tx.#onAbort, { once: true });
    if (parts.signal.aborted) tx.#onAbort();
    return tx;
  }

  write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    return this.#run(async () => {
      if (this.#keepRows) this.#recent = [...this.#recent.slice(-1), batch.rows];
      this.#keys.add(batch.rows);
      if (batch.rows.length > 0) await this.#writer.write(batch.rows);
      const idMap = this.#parts.options.idMap;
      if (idMap !== undefined) {
        const pairs = idMap.pairs(batch);
        if (pairs.length > 0) this.#pairs.push([idMap.entity ?? context.entity, pairs]);
      }
    }, 'write');
  }

  /** Commit the rows, with `checkpoint` when given (the sink's own `write` commits without one). */
  commit(checkpoint: Checkpoint | undefined): Promise<void> {
    const { client, options } = this.#parts;
    return this.#run(async () => {
      await this.#writer.finish();
      this.#checkOpen();
      if (checkpoint !== undefined) await this.#store(checkpoint).saveIn(client, checkpoint);
      for (const [entity, pairs] of this.#pairs) await options.idMap!.store.putIn(client, entity, pairs);
      await client.query('COMMIT');
      this.#state = 'committed';
      this.#detach(true, undefined);
    }, 'commit');
  }

  /** Roll back (once; later calls wait for the first). Waits for a write or commit in progress. */
  rollback(): Promise<void> {
    this.#rolledBack ??= this.#busy.then(async () => {
      if (this.#state !== 'open') return;
      this.#state = 'rolled-back';
      await this.#writer.abort();
      await this.#end(this.#failure);
    });
    return this.#rolledBack;
  }

  /**
   * Run one call on the client, unless the transaction already ended or failed. A row error, met in
   * this call or reported by the writer since the last one (a COPY piece refused after it was sent),
   * is located before it is thrown.
   */
  #run(body: () => Promise<void>, operation: string): Promise<void> {
    const call = this.#busy.then(async () => {
      try {
        this.#checkOpen();
        await body();
      } catch (error) {
        const cause = this.#failure?.cause ?? error;
        if (this.#state === 'open' && this.#rolledBack === undefined && isRowError(cause))
          throw (this.#failure = await this.#locate(cause, operation));
        throw (this.#failure ??= this.#classify(error, operation));
      }
    });
    this.#busy = call.then(noop, noop);
    return call;
  }

  /**
   * Rolls back now, then finds the refused row (each try rolled back too): the COPY line the server
   * names, else by splitting the latest batches (an error met while writing) or every row of the
   * transaction read again by the replay. The error names table, column or constraint and that row's
   * key, never a value.
   */
  async #locate(cause: unknown, operation: string): Promise<FerryError> {
    const { client, plan, entity } = this.#parts;
    const rows = this.#recent.flat();
    const line = copyErrorLine((cause as { where?: unknown }).where);
    const keys = this.#keys;
    const lineKey = line === undefined ? undefined : keys.at(line - 1);
    const [first, last, sent] = [keys.at(0), keys.at(keys.size - 1), keys.size];
    this.#recent = [];
    this.#keys.clear();
    this.#state = 'rolled-back';
    await this.#writer.abort();
    let broken: Error | undefined;
    let found: FailingRow | undefined;
    try {
      await client.query('ROLLBACK');
      if (lineKey === undefined) found = await this.#search(rows, sent, operation);
    } catch (error) {
      broken = error instanceof Error ? error : new Error('ROLLBACK failed');
    }
    this.#detach(false, broken);
    const key = lineKey ?? (found === undefined ? undefined : rowKey(plan.target, found.row));
    // Not found (no replay, or the source no longer holds the rows): say which rows it is among.
    const among =
      key === undefined && first !== undefined && last !== undefined
        ? { first, last, rows: sent }
        : undefined;
    return classifyPostgresError(found?.error ?? cause, {
      entity,
      table: plan.label,
      operation,
      ...(key === undefined ? {} : { key }),
      ...(among === undefined ? {} : { among }),
      keyColumns: plan.target.key,
    });
  }

  /**
   * The first refused row: among the latest batches when they are the whole transaction or the error
   * came while writing them (statements before passed), else (and when not found there) among all
   * `sent` rows, re-read by the replay.
   */
  async #search(recent: readonly Row[], sent: number, operation: string): Promise<FailingRow | undefined> {
    const { client, plan, options, replay } = this.#parts;
    const find = (rows: RowsToTry) =>
      findFailingRow(client, plan, options.mode ?? 'copy', options.pieceRows ?? 1000, rows);
    const whole = recent.length === sent;
    const found =
      whole || replay === undefined || operation === 'write' ? await find(rowsInMemory(recent)) : undefined;
    if (found !== undefined || whole || replay === undefined) return found;
    return find({ rows: sent, replay: () => rowsOf(replay()) });
  }

  /** ROLLBACK; a connection that failed is destroyed instead of going back to the pool. */
  async #end(failure: FerryError | undefined): Promise<void> {
    let broken: Error | undefined = failure?.reason === 'connection' ? failure : undefined;
    if (broken === undefined)
      await this.#parts.client.query('ROLLBACK').catch((error: unknown) => {
        broken = error instanceof Error ? error : new Error('ROLLBACK failed');
      });
    this.#detach(false, broken);
  }

  #detach(committed: boolean, broken: Error | undefined): void {
    this.#parts.signal.removeEventListener('abort', this.#onAbort);
    this.#parts.onEnd(committed, broken);
  }

  #checkOpen(): void {
    if (this.#rolledBack !== undefined || this.#state !== 'open') {
      throw new FerryError(`write to ${this.#parts.plan.label} was rolled back`, {
        code: 'FERRY_PG_ROLLED_BACK',
        reason: this.#parts.signal.aborted ? 'aborted' : 'unknown',
        entity: this.#parts.entity,
        operation: 'write',
      });
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  #stopped(): FerryError {
    return new FerryError(`write to ${this.#parts.plan.label} was aborted: rolled back`, {
      code: 'FERRY_PG_ROLLED_BACK',
      reason: 'aborted',
      entity: this.#parts.entity,
      operation: 'write',
    });
  }

  #store(checkpoint: Checkpoint) {
    const store = this.#parts.options.checkpoints;
    if (store === undefined) {
      throw new FerryError(
        `sink for ${this.#parts.plan.label} got a checkpoint but has no checkpoint store`,
        {
          code: 'FERRY_PG_NO_CHECKPOINT_STORE',
          reason: 'invalid-config',
          entity: checkpoint.entity,
        },
      );
    }
    return store;
  }

  #classify(error: unknown, operation: string): FerryError {
    return classifyPostgresError(error, {
      entity: this.#parts.entity,
      table: this.#parts.plan.label,
      operation,
    });
  }
}
