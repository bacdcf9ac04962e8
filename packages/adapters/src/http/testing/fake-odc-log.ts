// The fake app's request log: arrival time, method, outcome and records of every request, and counts
// per sliding window so tests can prove a client's requests-per-minute limit held.

/** One request as the fake app saw it. */
export interface RequestLogEntry {
  /** Arrival time, ms (performance clock). */
  readonly at: number;
  /** The REST method, e.g. `UpsertCustomer` or `CreateUsers`. */
  readonly method: string;
  /** Status sent, or what happened instead. */
  outcome: number | 'dropped' | 'hung' | 'pending';
  /** Records stored by this request. */
  records: number;
}

/** Requests in arrival order. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  readonly windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Records an arrival. */
  arrive(method: string): RequestLogEntry {
    const entry: RequestLogEntry = { at: performance.now(), method, outcome: 'pending', records: 0 };
    this.entries.push(entry);
    return entry;
  }

  /** Requests matching `filter` that arrived within the window ending at `entry` (itself included). */
  inWindow(entry: RequestLogEntry, filter: (entry: RequestLogEntry) => boolean): number {
    return this.entries.filter((e) => filter(e) && e.at > entry.at - this.windowMs && e.at <= entry.at)
      .length;
  }

  /** The most requests matching `filter` that arrived within any window of `windowMs`. */
  maxInAnyWindow(filter: (entry: RequestLogEntry) => boolean = () => true, windowMs = this.windowMs): number {
    const times = this.entries.filter(filter).map((e) => e.at);
    let max = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= windowMs) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  /** Count of requests by outcome. */
  outcomes(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries)
      counts[String(entry.outcome)] = (counts[String(entry.outcome)] ?? 0) + 1;
    return counts;
  }
}
