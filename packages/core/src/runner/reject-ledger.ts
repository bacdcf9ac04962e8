// Reject lines written for work not yet committed, per entity: a commit that fails after its rejects
// were written (its transaction rolled back, or its checkpoint not saved) leaves lines in the reject
// sink that the retry would write again. The ledger remembers them so the retry, which re-reads the
// same rows and rejects them again, skips lines already there: once per process for each reject.

import type { RejectRecord } from '../reject.js';

/** @internal Counts reject lines by identity (every field of the record). */
type Lines = Map<string, number>;

function add(lines: Lines, line: string, count = 1): void {
  lines.set(line, (lines.get(line) ?? 0) + count);
}

/**
 * @internal One entity's reject lines since its last commit, shared by its attempts. Holds at most
 * the rejects of one commit (a transaction's `commitEvery` rows) plus those of failed commits.
 */
export class RejectLedger {
  /** Lines written for the commit in progress. */
  #open: Lines = new Map();
  /** Lines written for commits that failed: a retry writing the same record skips it (once each). */
  readonly #orphaned: Lines = new Map();

  /** A commit starts: lines still open belong to a commit that failed. */
  beginCommit(): void {
    for (const [line, count] of this.#open) add(this.#orphaned, line, count);
    this.#open = new Map();
  }

  /** The records of `records` to write now: those not already written by a failed commit. */
  toWrite(records: readonly RejectRecord[]): RejectRecord[] {
    const fresh: RejectRecord[] = [];
    for (const record of records) {
      const line = JSON.stringify(record);
      add(this.#open, line);
      const orphaned = this.#orphaned.get(line) ?? 0;
      if (orphaned === 0) fresh.push(record);
      else if (orphaned === 1) this.#orphaned.delete(line);
      else this.#orphaned.set(line, orphaned - 1);
    }
    return fresh;
  }

  /** The commit succeeded: its lines are settled. */
  committed(): void {
    this.#open = new Map();
  }
}
