// The contiguous-prefix tracker: batches become durable in any order, but the durable state (position,
// sequence, counters) advances only over an unbroken run of durable sequences. It is what the runner
// saves, and where a retry re-opens the read, so a checkpoint can never run ahead of durable data.

import type { Checkpoint, CheckpointStatus } from '../checkpoint.js';
import type { EntityCounts } from '../events.js';
import { addNotes, type Notes } from '../notes.js';
import type { Position } from '../position.js';
import type { RejectRecord } from '../reject.js';

/** @internal What the runner remembers of a batch between handing it to the sink and committing it. */
export interface BatchRecord {
  readonly sequence: number;
  readonly position: Position;
  readonly rows: number;
  readonly rowsRead: number;
  readonly rowsFiltered: number;
  readonly rejects: readonly RejectRecord[];
  readonly notes?: Notes | undefined;
}

type Counts = { -readonly [K in keyof EntityCounts]: EntityCounts[K] };

/** @internal Durable state of one entity and the out-of-order completions above it. */
export class CheckpointTracker {
  readonly #runId: string;
  readonly #entity: string;
  #position: Position;
  #sequence: number;
  #counts: Counts;
  #notes: Notes | undefined;
  #savedSequence: number;
  #nextSequence: number;
  #readAhead = 0;
  /** The highest sequence handed out by `complete` (committed or being committed). */
  #frontier: number;
  #done = new Map<number, BatchRecord>();

  constructor(runId: string, entity: string, from: Checkpoint | undefined) {
    this.#runId = runId;
    this.#entity = entity;
    this.#position = from?.position ?? null;
    this.#sequence = from?.sequence ?? 0;
    this.#savedSequence = from === undefined ? -1 : this.#sequence;
    this.#counts = {
      rowsRead: from?.rowsRead ?? 0,
      rowsWritten: from?.rowsWritten ?? 0,
      rowsRejected: from?.rowsRejected ?? 0,
      rowsFiltered: from?.rowsFiltered ?? 0,
    };
    this.#notes = from?.notes;
    this.#nextSequence = this.#sequence + 1;
    this.#frontier = this.#sequence;
  }

  /** The durable position: where a (re)read starts. */
  get position(): Position {
    return this.#position;
  }

  /** The sequence of the last durable batch. */
  get sequence(): number {
    return this.#sequence;
  }

  /** Durable counters, cumulative over the run. */
  get counts(): EntityCounts {
    return { ...this.#counts };
  }

  /** Rows read so far including batches not yet durable (for `batch:read`). */
  get rowsReadAhead(): number {
    return this.#counts.rowsRead + this.#readAhead;
  }

  /** Whether durable progress exists that the store has not been given yet. */
  get unsaved(): boolean {
    return this.#sequence !== this.#savedSequence;
  }

  /** Start an attempt: forget completions above the durable prefix, continue sequences after it. */
  begin(): void {
    this.#done.clear();
    this.#readAhead = 0;
    this.#nextSequence = this.#sequence + 1;
    this.#frontier = this.#sequence;
  }

  /** The sequence for the next batch read. */
  issue(rowsRead: number): number {
    this.#readAhead += rowsRead;
    const sequence = this.#nextSequence;
    this.#nextSequence += 1;
    return sequence;
  }

  /** A batch is durable; returns the records that now extend the contiguous prefix, in order. */
  complete(record: BatchRecord): BatchRecord[] {
    this.#done.set(record.sequence, record);
    const ready: BatchRecord[] = [];
    for (;;) {
      const found = this.#done.get(this.#frontier + 1);
      if (found === undefined) return ready;
      this.#done.delete(found.sequence);
      this.#frontier = found.sequence;
      ready.push(found);
    }
  }

  /** Commit a ready record (its rejects are durable too): the durable state moves past it. */
  advance(record: BatchRecord): void {
    this.#position = record.position;
    this.#sequence = record.sequence;
    this.#readAhead -= record.rowsRead;
    this.#counts.rowsRead += record.rowsRead;
    this.#counts.rowsWritten += record.rows;
    this.#counts.rowsRejected += record.rejects.length;
    this.#counts.rowsFiltered += record.rowsFiltered;
    this.#notes = addNotes(this.#notes, record.notes);
  }

  /**
   * The checkpoint of the durable state, or of the state after `records` (the next batches, in sequence
   * order) once they are committed.
   */
  checkpoint(status: CheckpointStatus, records: readonly BatchRecord[] = []): Checkpoint {
    const counts = { ...this.#counts };
    let position = this.#position;
    let sequence = this.#sequence;
    let notes = this.#notes;
    for (const record of records) {
      notes = addNotes(notes, record.notes);
      position = record.position;
      sequence = record.sequence;
      counts.rowsRead += record.rowsRead;
      counts.rowsWritten += record.rows;
      counts.rowsRejected += record.rejects.length;
      counts.rowsFiltered += record.rowsFiltered;
    }
    return {
      runId: this.#runId,
      entity: this.#entity,
      position,
      sequence,
      status,
      ...counts,
      ...(notes === undefined ? {} : { notes }),
      updatedAt: new Date().toISOString(),
    };
  }

  /** The store now holds the durable state. */
  markSaved(sequence: number): void {
    this.#savedSequence = sequence;
  }
}
