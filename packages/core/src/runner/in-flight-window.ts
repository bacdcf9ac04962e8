// The in-flight window of one entity attempt: at most `max` batches (and about `maxBytes` of their
// measured bytes) handed to the sink and not yet settled. It also holds the attempt's first failure, so
// the read loop stops as soon as a write fails.

/** @internal Bounds pending writes and records the first failure of an attempt. */
export class InFlightWindow {
  readonly #max: number;
  readonly #maxBytes: number;
  #pending = 0;
  #bytes = 0;
  #waiters: (() => void)[] = [];
  #failure: unknown;
  #failed = false;

  /** `maxBytes` bounds the sum of pending batches' bytes; one batch is always let through alone. */
  constructor(max: number, maxBytes = Infinity) {
    this.#max = max;
    this.#maxBytes = maxBytes;
  }

  /** Pending writes now. */
  get pending(): number {
    return this.#pending;
  }

  /** Whether a slot is free without waiting. */
  get hasRoom(): boolean {
    return this.#pending < this.#max;
  }

  /** Whether a failure was recorded. */
  get failed(): boolean {
    return this.#failed;
  }

  /** The first failure recorded. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Record a failure (only the first is kept) and wake every waiter. */
  fail(error: unknown): void {
    if (!this.#failed) {
      this.#failed = true;
      this.#failure = error;
    }
    this.#wake();
  }

  /**
   * Wait for a free slot with room for `bytes` (or a failure), then take it unless failed. Returns
   * whether a slot was taken.
   */
  async acquire(bytes = 0): Promise<boolean> {
    while (!this.#failed && !this.#fits(bytes)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#failed) return false;
    this.#pending += 1;
    this.#bytes += bytes;
    return true;
  }

  /**
   * Wait while the pending batches fill the byte budget (or fail): the read loop calls it before it
   * pulls the next batch, so a batch over the budget is written before the next one is read.
   */
  async room(): Promise<void> {
    while (!this.#failed && this.#pending > 0 && this.#bytes >= this.#maxBytes) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Give a slot (and the `bytes` it was taken with) back. */
  release(bytes = 0): void {
    this.#pending -= 1;
    this.#bytes -= bytes;
    this.#wake();
  }

  #fits(bytes: number): boolean {
    if (this.#pending >= this.#max) return false;
    return this.#pending === 0 || this.#bytes + bytes <= this.#maxBytes;
  }

  /** Wait until nothing is pending (failures do not shorten this: settled writes may be durable). */
  async drain(): Promise<void> {
    while (this.#pending > 0) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
