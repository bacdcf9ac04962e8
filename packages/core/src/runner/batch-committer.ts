// Commits the contiguous prefix of durable batches, strictly in sequence order and one step at a time:
// first the batch's rejects go to the reject sink, then the durable state advances, then one checkpoint
// save covers every batch committed in that step. A failed step stops further commits.

import type { BatchRecord } from './checkpoint-tracker.js';
import type { EntityContext } from './entity-context.js';
import { attributeError } from './error-attribution.js';

/** @internal Serialises commits of durable batches for one entity attempt. */
export class BatchCommitter {
  readonly #ctx: EntityContext;
  readonly #onFailure: (error: unknown) => void;
  #chain: Promise<void> = Promise.resolve();
  #broken = false;

  constructor(ctx: EntityContext, onFailure: (error: unknown) => void) {
    this.#ctx = ctx;
    this.#onFailure = onFailure;
  }

  /**
   * A batch is durable. `preCommitted` means the sink already committed its checkpoint (and the runner
   * wrote its rejects before the write), so only the in-memory state advances.
   */
  durable(record: BatchRecord, preCommitted: boolean): void {
    const ready = this.#ctx.tracker.complete(record);
    if (ready.length === 0) return;
    this.#chain = this.#chain.then(async () => {
      if (this.#broken) return;
      try {
        await this.#commit(ready, preCommitted);
      } catch (error) {
        this.#broken = true;
        this.#onFailure(error);
      }
    });
  }

  /** Resolves once every commit queued so far is done. */
  idle(): Promise<void> {
    return this.#chain;
  }

  /** Write a batch's rejects (before anything that covers the batch is saved). */
  async writeRejects(record: BatchRecord): Promise<void> {
    if (record.rejects.length === 0) return;
    const { run, entity } = this.#ctx;
    if (run.rejects === undefined) {
      run.emitter.logger?.warn('rows rejected (no reject sink configured)', {
        entity,
        sequence: record.sequence,
        rows: record.rejects.length,
      });
      return;
    }
    try {
      await run.rejects.write(record.rejects);
    } catch (error) {
      throw attributeError(error, { entity, operation: 'rejects.write', position: record.position });
    }
  }

  async #commit(ready: readonly BatchRecord[], preCommitted: boolean): Promise<void> {
    const { run, entity, tracker } = this.#ctx;
    for (const record of ready) {
      if (!preCommitted) await this.writeRejects(record);
      tracker.advance(record);
      run.gate.add(record.rowsRead, record.rejects.length);
      this.#emitDurable(record);
    }
    if (!preCommitted) {
      const checkpoint = tracker.checkpoint('running');
      try {
        await run.store.save(checkpoint);
      } catch (error) {
        throw attributeError(error, { entity, operation: 'checkpoint.save', position: checkpoint.position });
      }
    }
    tracker.markSaved(tracker.sequence);
    run.emitter.emit({
      type: 'checkpoint:saved',
      runId: run.runId,
      entity,
      sequence: tracker.sequence,
      position: tracker.position,
    });
    run.gate.check(entity);
  }

  #emitDurable(record: BatchRecord): void {
    const { run, entity, tracker } = this.#ctx;
    if (!run.emitter.listening) return;
    const counts = tracker.counts;
    const seconds = (performance.now() - this.#ctx.startedAt) / 1000;
    const written = counts.rowsWritten - this.#ctx.writtenAtStart;
    run.emitter.emit({
      type: 'batch:durable',
      runId: run.runId,
      entity,
      sequence: record.sequence,
      rows: record.rows,
      rowsPerSecond: seconds > 0 ? Math.round(written / seconds) : 0,
      totalRows: this.#ctx.totalRows,
      ...counts,
    });
  }
}
