// Backoff for HTTP retries: exponential with full jitter (AWS architecture blog's "full jitter"), and
// Retry-After parsing. A server's Retry-After always wins over the computed backoff, up to a cap.

/** How the HTTP sink retries one request. */
export interface HttpRetryPolicy {
  /** Attempts after the first failure; 0 disables retries. Default 6. */
  readonly retries: number;
  /** Base of the exponential backoff, in ms. Default 250. */
  readonly minDelayMs: number;
  /** Cap of the computed backoff, in ms. Default 30_000. */
  readonly maxDelayMs: number;
  /** Cap on a server's Retry-After, in ms; a longer one is waited for this long. Default 300_000. */
  readonly maxRetryAfterMs: number;
}

/** The defaults of {@link HttpRetryPolicy}. */
export const DEFAULT_HTTP_RETRY: HttpRetryPolicy = {
  retries: 6,
  minDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/**
 * Full-jitter backoff: a uniform random delay in `[0, min(maxDelayMs, minDelayMs * 2^attempt))`.
 * `attempt` counts failures so far, starting at 0.
 */
export function backoffDelay(
  policy: HttpRetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns milliseconds
 * to wait (0 for a date in the past), or `undefined` when absent or malformed.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The delay before the next attempt: Retry-After (capped) when the server sent one, else backoff. */
export function retryDelay(
  policy: HttpRetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random?: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(policy, attempt, random);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
