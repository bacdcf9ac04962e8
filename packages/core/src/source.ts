// The Source contract: an async iterable of batches in key order, resumable from a position.

import type { Position } from './position.js';
import type { Batch, Row } from './row.js';

/** How to read a source. */
export interface ReadOptions {
  /** Continue strictly after this position; `null` or absent reads from the beginning. */
  readonly after?: Position | undefined;
  /** Rows per batch the source should aim for. */
  readonly batchSize: number;
  /**
   * Bytes of large values (Binary Data) per batch the source should aim for, when it can measure them
   * before reading (a single bigger row comes alone); a source that measures sets `Batch.bytes`.
   * Absent: rows only.
   */
  readonly batchBytes?: number | undefined;
  /** Stop reading (and release connections) when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A source of rows for one entity.
 *
 * `read` yields batches in key order, strictly after `after`. Breaking out of the loop, calling
 * `return()` on the iterator or aborting the signal must release every resource the read holds
 * (cursors, connections, file handles).
 *
 * @example
 * ```ts
 * for await (const batch of source.read({ after: checkpoint?.position, batchSize: 1000 })) {
 *   await sink.write(batch, ctx);
 * }
 * ```
 */
export interface Source<R = Row> {
  /** A label for logs and errors, e.g. the table name. */
  readonly name: string;
  read(options: ReadOptions): AsyncIterable<Batch<R>>;
  /** Optional: how many rows remain after `after` (exact or estimated), for progress and ETA. */
  count?(options: Pick<ReadOptions, 'after' | 'signal'>): Promise<number | undefined>;
}
