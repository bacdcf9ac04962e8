// Bounds the requests Ferry sends to one ODC app: how many run at once (p-queue) and how many start in
// any window (a sliding-window log). p-queue's own interval/intervalCap counts in fixed windows, which
// lets up to twice the cap through around a window boundary; a server counting per minute would see
// that, so the rate is enforced over every sliding window instead. Share one limiter across the sinks
// of an app: ODC's limits are per app, not per entity.

import PQueue from 'p-queue';
import { sleep } from './http-retry.js';

/** Options of {@link RequestLimiter}. */
export interface RequestLimiterOptions {
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Requests allowed to start per window; unlimited when absent. */
  readonly requestsPerWindow?: number;
  /** The window, in ms. Default 60_000 (requests per minute). Tests use short windows. */
  readonly windowMs?: number;
  /**
   * Extra spacing added to the window, in ms, to absorb network jitter between the client's start and the
   * server's count. Default `min(250, windowMs / 20)`.
   */
  readonly safetyMs?: number;
  /** The clock, injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
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
  readonly #starts: number[] = [];
  #gate: Promise<void> = Promise.resolve();

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
    this.#window = windowMs + (options.safetyMs ?? Math.min(250, windowMs / 20));
    this.#now = options.now ?? Date.now;
  }

  /** Requests waiting for a slot. */
  get pending(): number {
    return this.#queue.size + this.#queue.pending;
  }

  /** Runs `task` once a concurrency slot is free and the rate allows one more start. */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#queue.add(
      async () => {
        await this.#acquire(signal);
        return task();
      },
      { throwOnTimeout: true, ...(signal === undefined ? {} : { signal }) },
    );
  }

  /** Waits until fewer than `cap` requests started within the window, then records a start. */
  #acquire(signal: AbortSignal | undefined): Promise<void> {
    const cap = this.#cap;
    if (cap === undefined) return Promise.resolve();
    const turn = this.#gate.then(async () => {
      for (;;) {
        const now = this.#now();
        while (this.#starts.length > 0 && this.#starts[0]! <= now - this.#window) this.#starts.shift();
        if (this.#starts.length < cap) {
          this.#starts.push(now);
          return;
        }
        await sleep(this.#starts[0]! + this.#window - now + 1, signal);
      }
    });
    this.#gate = turn.catch(() => undefined);
    return turn;
  }
}
