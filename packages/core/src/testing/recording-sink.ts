// A sink that records everything the runner does to it: open, each durable batch with its sequence and
// position, and close outcomes. Writes are durable at once, into a MemoryTarget that may be shared.

import type { Position } from '../position.js';
import type { Batch, Row } from '../row.js';
import type { Sink, SinkOutcome, WriteContext } from '../sink.js';
import { MemoryTarget, type KeyOf } from './memory-target.js';

/** One durable write as a {@link RecordingSink} saw it. */
export interface RecordedWrite {
  readonly sequence: number;
  readonly position: Position;
  readonly rows: number;
}

/** Options of {@link RecordingSink}. */
export interface RecordingSinkOptions {
  readonly name?: string;
  /** Where committed rows go; share one between runs to see what a resume adds. */
  readonly target?: MemoryTarget;
  readonly keyOf?: KeyOf;
  /** Upsert by key instead of appending: writing a batch twice keeps one copy. */
  readonly idempotent?: boolean;
}

/**
 * Records opens, durable writes (in completion order) and closes.
 *
 * @example
 * ```ts
 * const sink = new RecordingSink();
 * await run({ entities: [{ entity: 'E', source, sink }] }, options);
 * expect(sink.closes).toEqual(['completed']);
 * ```
 */
export class RecordingSink implements Sink<Row> {
  readonly name: string;
  readonly target: MemoryTarget;
  readonly #idempotent: boolean;
  /** How many times `open` was called. */
  opens = 0;
  /** How many times `write` was called (including failed ones). */
  writeCalls = 0;
  /** Durable writes, in completion order. */
  readonly writes: RecordedWrite[] = [];
  /** Every `close` outcome, in order. */
  readonly closes: SinkOutcome[] = [];

  constructor(options: RecordingSinkOptions = {}) {
    this.name = options.name ?? 'recording-sink';
    this.target = options.target ?? new MemoryTarget(options.keyOf);
    this.#idempotent = options.idempotent ?? false;
  }

  open(): Promise<void> {
    this.opens += 1;
    return Promise.resolve();
  }

  write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    this.writeCalls += 1;
    this.commit(batch, context);
    return Promise.resolve();
  }

  close(outcome: SinkOutcome): Promise<void> {
    this.closes.push(outcome);
    return Promise.resolve();
  }

  /** Make a batch durable now. */
  protected commit(batch: Batch<Row>, context: WriteContext): void {
    if (this.#idempotent) this.target.upsert(batch.rows);
    else this.target.insert(batch.rows);
    this.writes.push({ sequence: context.sequence, position: batch.position, rows: batch.rows.length });
  }
}
