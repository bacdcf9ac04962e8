// A sink with the `transactions` capability for runner tests: a transaction buffers its batches and
// commits them into a MemoryTarget together with the checkpoint (into its own MemoryCheckpointStore),
// so a test sees exactly what an exactly-once database sink would leave behind. Failures on purpose.

import type { Checkpoint } from '../checkpoint.js';
import { FerryError } from '../errors.js';
import type { FerryErrorReason } from '../errors.js';
import type { Batch, Row } from '../row.js';
import type { SinkTransaction, SinkTransactions } from '../sink.js';
import { MemoryCheckpointStore } from '../stores/memory-checkpoint-store.js';
import { RecordingSink, type RecordingSinkOptions } from './recording-sink.js';

/** Options of {@link TransactionSink}. */
export interface TransactionSinkOptions extends RecordingSinkOptions {
  /** The store its transactions commit into; default a new MemoryCheckpointStore. */
  readonly checkpoints?: MemoryCheckpointStore;
  /** Fail the commit with this 0-based index (nothing of that transaction becomes durable). */
  readonly failCommitAt?: number;
  /** The reason of that failure; default `unknown` (not retried). `connection` is retried. */
  readonly failCommitReason?: FerryErrorReason;
}

/**
 * A {@link RecordingSink} with transactions: under `run()` its rows become durable only through the
 * transactions the runner drives (`writeCalls` stays 0); a direct `write` is durable at once.
 * `transactionBatches` lists the batches of each committed transaction.
 *
 * @example
 * ```ts
 * const sink = new TransactionSink();
 * await run({ entities: [{ entity: 'E', source, sink }] }, { runId: 'r', commitEvery: 100 });
 * expect(sink.transactionBatches).toEqual([10, 10]);
 * ```
 */
export class TransactionSink extends RecordingSink {
  readonly transactions: SinkTransactions<Row>;
  /** Batches per committed transaction, in commit order. */
  readonly transactionBatches: number[] = [];
  /** Transactions rolled back. */
  rollbacks = 0;
  /** Whether a transaction is open now (at most one may be). */
  #open = false;
  #commits = 0;

  constructor(options: TransactionSinkOptions = {}) {
    super({ ...options, name: options.name ?? 'transaction-sink' });
    const checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
    this.transactions = {
      checkpoints,
      begin: () => {
        if (this.#open) return Promise.reject(new Error('transaction-sink: a transaction is already open'));
        this.#open = true;
        return Promise.resolve(this.#transaction(checkpoints, options));
      },
    };
  }

  #transaction(store: MemoryCheckpointStore, options: TransactionSinkOptions): SinkTransaction<Row> {
    const failAt = options.failCommitAt;
    const reason = options.failCommitReason ?? 'unknown';
    const pending: [Batch<Row>, number][] = [];
    let done = false;
    const end = (): void => {
      done = true;
      this.#open = false;
    };
    return {
      write: async (batch, context) => {
        if (done) throw new Error('transaction-sink: write after the end of the transaction');
        await new Promise((resolve) => setImmediate(resolve));
        pending.push([batch, context.sequence]);
      },
      commit: async (checkpoint: Checkpoint) => {
        if (done) throw new Error('transaction-sink: commit after the end of the transaction');
        const index = this.#commits;
        this.#commits += 1;
        // A failed commit leaves the transaction for the runner to roll back (counted in `rollbacks`).
        if (index === failAt)
          throw new FerryError('transaction-sink: commit failed', { code: 'FAKE_COMMIT', reason });
        end();
        for (const [batch, sequence] of pending)
          this.commit(batch, {
            entity: checkpoint.entity,
            runId: checkpoint.runId,
            sequence,
            signal: new AbortController().signal,
          });
        await store.save(checkpoint);
        this.transactionBatches.push(pending.length);
      },
      rollback: () => {
        if (!done) this.rollbacks += 1;
        end();
        return Promise.resolve();
      },
    };
  }
}
