// Bounds the requests Ferry sends to one ODC app: how many run at once (p-queue) and how many hit the
// app in any window. p-queue's own interval/intervalCap counts in fixed windows, which lets up to twice
// the cap through around a window boundary, and the client cannot see when a request reaches the server.
// So a request occupies its rate slot from its start until `windowMs` after it ended: the server saw it
// somewhere in between, hence no server window of `windowMs` can count more than the cap. Share one
// limiter across the sinks of an app: ODC's limits are per app, not per entity. Starts are also spread
// (one every `windowMs / cap`), so a window's requests do not all leave in its first second, and the
// window can be handed over to the next process (`history`, `onHistory`) so a resumed run honours it.

import PQueue from 'p-queue';

/** Options of {@link RequestLimiter}. */
export interface RequestLimiterOptions {
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Requests allowed to start per window; unlimited when absent. */
  readonly requestsPerWindow?: number;
  /** The window, in ms. Default 60_000 (requests per minute). Tests use short windows. */
  readonly windowMs?: number;
  /** The clock, injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Times (of the clock `now`) of requests an earlier process sent, e.g. read back from the run's
   * state: each holds a rate slot until `windowMs` after it, and the next start waits its turn.
   */
  readonly history?: readonly number[];
  /** Called with the times to hand over whenever they change (in-flight requests count as now). */
  readonly onHistory?: (times: readonly number[]) => void;
}

/**
 * A concurrency and rate gate for HTTP requests.
 *
 * @example
 * ```ts
 * const limiter = new RequestLimiter({ concurrency: 4, requestsPerWindow: 120 }); // 120 per minute
 * const customers = odcRestSink({ ...common, entity: 'Customer', limiter });
 * const orders = odcRestSink({ ...common, entity: 'Order', limiter });
 * ```
 */
export class RequestLimiter {
  readonly #queue: PQueue;
  readonly #cap: number | undefined;
  readonly #window: number;
  readonly #now: () => number;
  /** End times of the requests holding a rate slot; `Infinity` while in flight. */
  readonly #slots: number[] = [];
  #gate: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  /** When the last request started: the next waits `windowMs / cap` after it. */
  #lastStart = -Infinity;
  readonly #onHistory: ((times: readonly number[]) => void) | undefined;

  constructor(options: RequestLimiterOptions = {}) {
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError('concurrency must be an integer ≥ 1');
    const cap = options.requestsPerWindow;
    if (cap !== undefined && (!Number.isInteger(cap) || cap < 1)) {
      throw new RangeError('requestsPerWindow must be an integer ≥ 1');
    }
    const windowMs = options.windowMs ?? 60_000;
    this.#queue = new PQueue({ concurrency });
    this.#cap = cap;
    this.#window = windowMs;
    this.#now = options.now ?? Date.now;
    this.#onHistory = options.onHistory;
    for (const time of options.history ?? []) {
      if (!Number.isFinite(time)) continue;
      this.#slots.push(time);
      this.#lastStart = Math.max(this.#lastStart, time);
    }
  }

  /** Requests waiting for a slot. */
  get pending(): number {
    return this.#queue.size + this.#queue.pending;
  }

  /** Runs `task` once a concurrency slot is free and the rate allows one more request. */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // The signal is not handed to p-queue: p-queue 8 never removes the abort listener it adds, which
    // leaks one listener per request on a run-long signal. A queued task checks it when it starts.
    return this.#queue.add(
      async () => {
        signal?.throwIfAborted();
        const limited = await this.#acquire(signal);
        try {
          return await task();
        } finally {
          if (limited) this.#release();
        }
      },
      { throwOnTimeout: true },
    );
  }

  /** Waits until fewer than `cap` requests are in flight or ended within the window, then takes a slot. */
  #acquire(signal: AbortSignal | undefined): Promise<boolean> {
    const cap = this.#cap;
    if (cap === undefined) return Promise.resolve(false);
    const turn = this.#gate.then(async () => {
      for (;;) {
        const now = this.#now();
        const live = this.#slots.filter((end) => end > now - this.#window);
        this.#slots.splice(0, this.#slots.length, ...live);
        const spread = this.#lastStart + this.#window / cap - now;
        if (live.length < cap && spread <= 0) {
          this.#slots.push(Infinity);
          this.#lastStart = now;
          this.#handOver(now);
          return true;
        }
        const earliest = Math.min(...live);
        const full = Number.isFinite(earliest) ? earliest + this.#window - now + 1 : 60_000;
        await this.#waitFor(live.length < cap ? Math.ceil(spread) : full, signal);
      }
    });
    this.#gate = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** Marks one in-flight slot as ended now, so it expires one window later, and wakes the gate. */
  #release(): void {
    const index = this.#slots.indexOf(Infinity);
    if (index >= 0) this.#slots[index] = this.#now();
    this.#handOver(this.#now());
    this.#wake?.();
  }

  /** Reports the slots (in-flight ones as `now`) to `onHistory`. */
  #handOver(now: number): void {
    this.#onHistory?.(this.#slots.map((end) => (Number.isFinite(end) ? end : now)));
  }

  /** Sleeps up to `ms`, waking early when a request ends; rejects when `signal` aborts. */
  #waitFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error('aborted', { cause: error }));
      };
      const onAbort = (): void => finish(signal?.reason ?? new Error('aborted'));
      const timer = setTimeout(finish, ms);
      this.#wake = () => finish();
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
