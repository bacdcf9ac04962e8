// The run-wide reject threshold: counts rows read and rejected across every entity (including earlier
// attempts, from their checkpoints) and fails whoever crosses it, so a bad mapping stops early. Without
// a threshold, the safe default: an entity that rejected rows and wrote none does not complete.

import type { EntityCounts } from '../events.js';
import { FerryError } from '../errors.js';
import type { RejectThreshold } from '../run-types.js';

/** @internal Run-wide reject counting against a threshold. */
export class RejectGate {
  readonly #threshold: RejectThreshold | undefined;
  #read = 0;
  #rejected = 0;

  constructor(threshold: RejectThreshold | undefined) {
    this.#threshold = threshold;
  }

  /** Add durable counts (a committed batch, or a loaded checkpoint). */
  add(rowsRead: number, rowsRejected: number): void {
    this.#read += rowsRead;
    this.#rejected += rowsRejected;
  }

  /** Add an entity's cumulative counts from its stored checkpoint. */
  addCheckpoint(counts: EntityCounts): void {
    this.add(counts.rowsRead, counts.rowsRejected);
  }

  /**
   * The default when no threshold is set (neither `maxRows` nor `maxRatio`): an entity whose rows were
   * rejected and none written fails instead of completing (a mapping that rejects everything).
   */
  everyRowRejected(entity: string, counts: EntityCounts): FerryError | undefined {
    const t = this.#threshold;
    if (t?.maxRows !== undefined || t?.maxRatio !== undefined) return undefined;
    if (counts.rowsWritten > 0 || counts.rowsRejected === 0) return undefined;
    return new FerryError(
      `every row of entity "${entity}" was rejected (${counts.rowsRejected} of ${counts.rowsRead} read, none written): see the rejects file, fix the mapping and reset the run, or set a rejects threshold (rejects.maxRows / maxRatio) to accept it`,
      { code: 'FERRY_REJECT_ALL', reason: 'invalid-data', entity, operation: 'rejects.threshold' },
    );
  }

  /** Throw when the threshold is crossed. */
  check(entity: string): void {
    const t = this.#threshold;
    if (t === undefined || this.#rejected === 0) return;
    if (t.maxRows !== undefined && this.#rejected > t.maxRows) {
      throw crossed(entity, `${this.#rejected} rows rejected, more than the allowed ${t.maxRows}`);
    }
    const minRows = t.minRowsForRatio ?? 1000;
    if (t.maxRatio !== undefined && this.#read >= minRows && this.#rejected / this.#read > t.maxRatio) {
      const ratio = (this.#rejected / this.#read).toFixed(4);
      throw crossed(entity, `reject ratio ${ratio} is above the allowed ${t.maxRatio}`);
    }
  }
}

function crossed(entity: string, detail: string): FerryError {
  return new FerryError(
    `reject threshold crossed at entity "${entity}": ${detail}. Fix the mapping or raise the threshold, then resume the run`,
    { code: 'FERRY_REJECT_THRESHOLD', reason: 'invalid-data', entity, operation: 'rejects.threshold' },
  );
}
