// The fault plan of the fake ODC app: seeded random faults (so a failing test replays the same run) and
// faults queued on demand. Each request draws its fate once, before the server touches its data.

import { seededRandom } from '../../shared/seeded-random.js';

/** What happens to one request. */
export type FaultKind =
  /** 500 before anything is stored. */
  | 'error'
  /** Stored, then the socket is destroyed: the client sees a network error but the data is committed. */
  | 'drop'
  /** Stored, then no answer ever: the client's timeout fires. */
  | 'hang'
  /** 429 with Retry-After, nothing stored. */
  | 'rate-limit'
  /** 400 whose message echoes the request's values and auth header (tests that errors scrub them). */
  | 'bad-request';

/** Random and periodic faults. Rates are probabilities per request, drawn from the seeded generator. */
export interface FakeOdcFaults {
  readonly errorRate?: number;
  readonly dropAfterCommitRate?: number;
  readonly hangRate?: number;
  /** Every n-th request (by arrival) gets a 429. */
  readonly rateLimitEvery?: number;
  /** The Retry-After header of injected 429s: seconds (`"1"`) or an HTTP date. Default `"1"`. */
  readonly retryAfter?: string | (() => string);
}

/** Decides each request's fault. */
export class FaultPlan {
  faults: FakeOdcFaults;
  readonly #random: () => number;
  readonly #queued: FaultKind[] = [];
  #arrivals = 0;

  constructor(faults: FakeOdcFaults, seed: number) {
    this.faults = faults;
    this.#random = seededRandom(seed);
  }

  /** Queues `count` faults of one kind for the next requests, before any random fault. */
  failNext(kind: FaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.#queued.push(kind);
  }

  /** The fate of the next request, or `undefined` for a clean one. */
  next(): FaultKind | undefined {
    this.#arrivals += 1;
    const queued = this.#queued.shift();
    if (queued !== undefined) return queued;
    const every = this.faults.rateLimitEvery;
    if (every !== undefined && this.#arrivals % every === 0) return 'rate-limit';
    const draw = this.#random();
    let edge = this.faults.errorRate ?? 0;
    if (draw < edge) return 'error';
    edge += this.faults.dropAfterCommitRate ?? 0;
    if (draw < edge) return 'drop';
    edge += this.faults.hangRate ?? 0;
    if (draw < edge) return 'hang';
    return undefined;
  }

  /** The Retry-After header value for a 429. */
  retryAfter(): string {
    const value = this.faults.retryAfter ?? '1';
    return typeof value === 'function' ? value() : value;
  }
}
