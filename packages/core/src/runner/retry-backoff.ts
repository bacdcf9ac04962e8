// Retry timing: exponential backoff with full jitter (a random delay between 0 and the exponential
// cap), so many entities failing together do not retry in lockstep against a recovering server.

import { FerryError } from '../errors.js';
import type { RetryPolicy } from '../run-types.js';

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, minDelayMs: 200, maxDelayMs: 30_000 };

/** The policy with defaults filled in and checked. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  const ok =
    Number.isInteger(policy.retries) &&
    policy.retries >= 0 &&
    policy.minDelayMs >= 0 &&
    policy.maxDelayMs >= policy.minDelayMs;
  if (!ok) {
    throw new FerryError('retry needs retries >= 0 and 0 <= minDelayMs <= maxDelayMs', {
      code: 'FERRY_RUN_OPTIONS',
      reason: 'invalid-config',
    });
  }
  return policy;
}

/**
 * The delay before retry number `attempt` (1-based): uniform in `[0, min(maxDelayMs, minDelayMs·2^(attempt-1))]`.
 *
 * @example
 * ```ts
 * backoffDelay(3, { retries: 5, minDelayMs: 200, maxDelayMs: 30_000 }); // somewhere in [0, 800]
 * ```
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** Wait `ms`, or less when `signal` aborts (resolves either way; the caller checks the signal). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
