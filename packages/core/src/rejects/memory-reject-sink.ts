// An in-memory reject sink: keeps every reject record, for tests and for reports of small runs.

import type { RejectRecord, RejectSink } from '../reject.js';

/**
 * Collects reject records in memory, in the order written.
 *
 * @example
 * ```ts
 * const rejects = new MemoryRejectSink();
 * await run(plan, { runId, checkpoints, rejects });
 * console.log(rejects.records.length);
 * ```
 */
export class MemoryRejectSink implements RejectSink {
  readonly #records: RejectRecord[] = [];

  /** Every record written so far. */
  get records(): readonly RejectRecord[] {
    return this.#records;
  }

  write(records: readonly RejectRecord[]): Promise<void> {
    this.#records.push(...records);
    return Promise.resolve();
  }
}
