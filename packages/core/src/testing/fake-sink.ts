// A misbehaving sink for runner tests: random completion delays (so batches become durable out of
// order), failure injection at a write index, and rollback of pending writes on abort.

import { FerryError } from '../errors.js';
import type { Batch, Row } from '../row.js';
import type { WriteContext } from '../sink.js';
import { RecordingSink, type RecordingSinkOptions } from './recording-sink.js';

/** Options of {@link FakeSink}. */
export interface FakeSinkOptions extends RecordingSinkOptions {
  /** Milliseconds before a write commits: a number, or a function (e.g. random) per sequence. */
  readonly delayMs?: number | ((sequence: number) => number);
  /** Fail the write call with this 0-based index (`times` calls from there; default 1). */
  readonly failAt?: { readonly write: number; readonly times?: number; readonly error?: () => Error };
  /** Roll back (reject) writes still pending when the run aborts; default false: they finish. */
  readonly rollbackOnAbort?: boolean;
}

/**
 * A {@link RecordingSink} whose writes complete after a delay (out of order with random delays), can
 * fail on purpose, and optionally roll back on abort (a pending write then rejects and commits nothing).
 *
 * @example
 * ```ts
 * const sink = new FakeSink({ delayMs: () => Math.random() * 5, failAt: { write: 3 } });
 * ```
 */
export class FakeSink extends RecordingSink {
  readonly #options: FakeSinkOptions;
  #failuresLeft: number;

  constructor(options: FakeSinkOptions = {}) {
    super({ ...options, name: options.name ?? 'fake-sink' });
    this.#options = options;
    this.#failuresLeft = options.failAt?.times ?? 1;
  }

  override async write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    const index = this.writeCalls;
    this.writeCalls += 1;
    const failAt = this.#options.failAt;
    const fails = failAt !== undefined && index >= failAt.write && this.#failuresLeft > 0;
    if (fails) this.#failuresLeft -= 1;
    const wait =
      typeof this.#options.delayMs === 'function'
        ? this.#options.delayMs(context.sequence)
        : this.#options.delayMs;
    const rollback = this.#options.rollbackOnAbort === true;
    if (wait !== undefined && wait > 0) await abortableDelay(wait, rollback ? context.signal : undefined);
    if (fails) {
      throw (
        failAt.error?.() ??
        new FerryError('fake sink: injected failure', { code: 'FAKE_WRITE', reason: 'unknown' })
      );
    }
    // Without rollbackOnAbort a pending write finishes even after an abort, as documented; rolling it
    // back here too made the append-sink abort test flaky (a gap below a batch already durable).
    if (rollback && context.signal.aborted)
      throw new FerryError('fake sink: rolled back on abort', { code: 'FAKE_ABORT', reason: 'aborted' });
    this.commit(batch, context);
  }
}

function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
