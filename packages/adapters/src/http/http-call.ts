// One JSON POST to an ODC app with everything a flaky network needs: a per-request timeout, the shared
// limiter, retries with full-jitter backoff on network errors, 408, 429 and 5xx, and Retry-After. A
// retried request may have been committed already; that is safe because ODC endpoints upsert by key.

import type { FerryError, Logger } from '@ferry/core';
import type { AuthHeader } from './http-auth.js';
import { serverMessage, statusError, transportError } from './http-error.js';
import type { RequestWhere } from './http-error.js';
import { parseRetryAfter, retryDelay, sleep } from './http-retry.js';
import type { HttpRetryPolicy } from './http-retry.js';
import type { RequestLimiter } from './request-limiter.js';

/** The `fetch` shape the adapter needs (the global one fits). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What a retry looks like to observers (no values, no secrets). */
export interface RetryInfo {
  readonly entity: string;
  /** Failures so far, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: FerryError;
}

/** Shared settings of every call to one ODC app. */
export interface HttpCallSettings {
  readonly fetch: FetchLike;
  readonly auth: AuthHeader | undefined;
  readonly timeoutMs: number;
  readonly retry: HttpRetryPolicy;
  readonly limiter: RequestLimiter;
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
  readonly logger?: Logger | undefined;
  readonly random?: (() => number) | undefined;
}

type Attempt =
  { ok: true; text: string } | { ok: false; error: FerryError; retryAfterMs?: number | undefined };

/**
 * POSTs `body` to `url` and returns the response text of the first 2xx answer.
 *
 * @throws FerryError of the last attempt once retries are spent, at once for a non-retryable answer.
 */
export async function postJson(
  url: string,
  body: string,
  where: RequestWhere,
  settings: HttpCallSettings,
  signal: AbortSignal,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await settings.limiter
      .schedule(() => attemptOnce(url, body, where, settings, signal), signal)
      .catch((cause: unknown) => abortedOrRethrow(cause, where, signal));
    if (outcome.ok) return outcome.text;
    const { error } = outcome;
    if (!error.retryable || attempt >= settings.retry.retries || signal.aborted) throw error;
    const delayMs = retryDelay(settings.retry, attempt, outcome.retryAfterMs, settings.random);
    settings.onRetry?.({ entity: where.entity, attempt: attempt + 1, delayMs, error });
    settings.logger?.warn('ODC request failed, retrying', {
      entity: where.entity,
      code: error.code,
      attempt: attempt + 1,
      delayMs,
    });
    await sleep(delayMs, signal).catch((cause: unknown) => abortedOrRethrow(cause, where, signal));
  }
}

/** A wait cut short by the run's signal becomes a classified `aborted` error. */
function abortedOrRethrow(cause: unknown, where: RequestWhere, signal: AbortSignal): never {
  if (signal.aborted) throw transportError(cause, where, 'aborted');
  throw cause;
}

async function attemptOnce(
  url: string,
  body: string,
  where: RequestWhere,
  settings: HttpCallSettings,
  outer: AbortSignal,
): Promise<Attempt> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = AbortSignal.any([outer, timeout]);
  const base = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
  const headers = settings.auth === undefined ? base : settings.auth.apply(base);
  try {
    const response = await settings.fetch(url, { method: 'POST', headers, body, signal });
    const text = await response.text();
    if (response.ok) return { ok: true, text };
    const secrets = [...(settings.auth?.secrets() ?? []), ...bodyValues(body)];
    const error = statusError(response.status, serverMessage(text, secrets), where);
    return { ok: false, error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  } catch (cause) {
    const kind = outer.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network';
    return { ok: false, error: transportError(cause, where, kind) };
  }
}

/** Every attribute value of a request body (not the entity name nor source keys), for redaction. */
export function bodyValues(body: string): string[] {
  const values: string[] = [];
  const walk = (node: unknown, field: string): void => {
    if (typeof node === 'string' || typeof node === 'number') {
      if (field !== 'sourceKey' && field !== 'entity') values.push(String(node));
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, field);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) walk(value, key);
    }
  };
  try {
    walk(JSON.parse(body), '');
  } catch {
    // an unparsable body has nothing to walk
  }
  return values;
}
