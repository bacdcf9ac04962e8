// Commits durable batches strictly in sequence order, one step at a time: the step makes the batches'
// checkpoint durable (a store save, or a sink transaction's commit), then the in-memory state advances
// over them and progress events go out. Used by both write paths; a failed step stops further commits.

import type { Checkpoint } from '../checkpoint.js';
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

  /** A batch written by a plain sink is durable: save the checkpoint of the contiguous prefix. */
  durable(record: BatchRecord): void {
    const ready = this.#ctx.tracker.complete(record);
    if (ready.length === 0) return;
    this.#chain = this.#chain.then(async () => {
      if (this.#broken) return;
      try {
        await this.commit(ready, async (checkpoint) => {
          for (const done of ready) await this.writeRejects(done);
          await this.#save(checkpoint);
        });
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

  /**
   * Write a batch's rejects (in `commit`'s `persist`, before the checkpoint that covers the batch),
   * except lines a failed commit already wrote.
   */
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
    const fresh = this.#ctx.rejectLedger.toWrite(record.rejects);
    try {
      await run.rejects.write(fresh);
    } catch (error) {
      throw attributeError(error, { entity, operation: 'rejects.write', position: record.position });
    }
  }

  /**
   * Make `records` (the next batches in sequence order) durable with `persist`, which gets the
   * checkpoint after them, then advance the durable state over them. Throws what `persist` throws.
   */
  async commit(
    records: readonly BatchRecord[],
    persist: (checkpoint: Checkpoint) => Promise<void>,
  ): Promise<void> {
    const { run, entity, tracker, rejectLedger } = this.#ctx;
    rejectLedger.beginCommit();
    await persist(tracker.checkpoint('running', records));
    rejectLedger.committed();
    for (const record of records) {
      tracker.advance(record);
      run.gate.add(record.rowsRead, record.rejects.length);
      this.#emitDurable(record);
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

  async #save(checkpoint: Checkpoint): Promise<void> {
    try {
      await this.#ctx.store.save(checkpoint);
    } catch (error) {
      throw attributeError(error, {
        entity: this.#ctx.entity,
        operation: 'checkpoint.save',
        position: checkpoint.position,
      });
    }
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
