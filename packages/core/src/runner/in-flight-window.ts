// The in-flight window of one entity attempt: at most `max` batches handed to the sink and not yet
// settled. It also holds the attempt's first failure, so the read loop stops as soon as a write fails.

/** @internal Bounds pending writes and records the first failure of an attempt. */
export class InFlightWindow {
  readonly #max: number;
  #pending = 0;
  #waiters: (() => void)[] = [];
  #failure: unknown;
  #failed = false;

  constructor(max: number) {
    this.#max = max;
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

  /** Wait for a free slot (or a failure), then take it unless failed. Returns whether a slot was taken. */
  async acquire(): Promise<boolean> {
    while (this.#pending >= this.#max && !this.#failed) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#failed) return false;
    this.#pending += 1;
    return true;
  }

  /** Give a slot back. */
  release(): void {
    this.#pending -= 1;
    this.#wake();
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
