// Every call to ODC's User and Access Management API goes through here: the bearer token (renewed once
// after a 401), ODC's documented rate limits (100 requests a minute for the API domain, 5 a minute for
// `POST /users/bulk`, both held client-side by RequestLimiter, whose windows can be handed over to the
// next process), and retries with backoff on network errors, 5xx and 429 (ODC's envoy marks its 429s
// with `x-envoy-ratelimited`; Retry-After wins when sent).

import { FerryError } from '@ferry/core';
import type { FetchLike } from '../http/http-call.js';
import { serverMessage, statusError, transportError } from '../http/http-error.js';
import type { RequestWhere } from '../http/http-error.js';
import { DEFAULT_HTTP_RETRY, parseRetryAfter, retryDelay, sleep } from '../http/http-retry.js';
import type { HttpRetryPolicy } from '../http/http-retry.js';
import { RequestLimiter } from '../http/request-limiter.js';
import type { RequestLimiterOptions } from '../http/request-limiter.js';
import type { ClientCredentialsToken } from './identity-token.js';

/** ODC's documented limits (rate-limiting page of docs-odc), per organization and minute. */
export const ODC_IDENTITY_LIMITS = { domainPerMinute: 100, bulkPerMinute: 5 } as const;

/**
 * A limiter window carried across processes: the request times an earlier process left (`history`) and
 * a callback told the times whenever they change (`onHistory`), see {@link RequestLimiterOptions}.
 */
export type IdentityWindowHandOver = Pick<RequestLimiterOptions, 'history' | 'onHistory'>;

/** Options of {@link IdentityHttp}. */
export interface IdentityHttpOptions {
  /** The API base, e.g. `https://acme.outsystems.dev/api/identity/v1`. */
  readonly baseUrl: string;
  readonly tokens: ClientCredentialsToken;
  readonly fetch: FetchLike;
  /** Window of both limits, in ms. Default 60_000; tests use short ones. */
  readonly windowMs?: number;
  readonly requestsPerWindow?: number;
  readonly bulkPerWindow?: number;
  /**
   * The windows of the domain limit and of the bulk limit, handed over between processes so that a
   * run killed and started again still sends at most 5 bulk requests (100 requests) in any window.
   * Default: none (the windows start empty).
   */
  readonly windows?: { readonly domain?: IdentityWindowHandOver; readonly bulk?: IdentityWindowHandOver };
  readonly retry?: Partial<HttpRetryPolicy>;
  readonly timeoutMs?: number;
  /** Told about every retry (no values, no secrets). */
  readonly onRetry?: (info: { path: string; attempt: number; delayMs: number; code: string }) => void;
}

/** One request. */
export interface IdentityRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Path under the base, e.g. `/users`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Counts against the 5-a-minute limit of `POST /users/bulk` too. */
  readonly bulk?: boolean;
}

type Attempt =
  { ok: true; value: unknown } | { ok: false; error: FerryError; retryAfterMs?: number | undefined };

/** The HTTP layer of the ODC identity client. */
export class IdentityHttp {
  readonly #options: IdentityHttpOptions;
  readonly #domain: RequestLimiter;
  readonly #bulk: RequestLimiter;
  readonly #retry: HttpRetryPolicy;
  /** Requests sent (attempts included). */
  requests = 0;

  constructor(options: IdentityHttpOptions) {
    this.#options = options;
    const windowMs = options.windowMs ?? 60_000;
    const perWindow = options.requestsPerWindow ?? ODC_IDENTITY_LIMITS.domainPerMinute;
    const { domain: domainWindow, bulk: bulkWindow } = options.windows ?? {};
    this.#domain = new RequestLimiter({
      concurrency: 4,
      requestsPerWindow: perWindow,
      windowMs,
      ...domainWindow,
    });
    const bulk = options.bulkPerWindow ?? ODC_IDENTITY_LIMITS.bulkPerMinute;
    this.#bulk = new RequestLimiter({ concurrency: 1, requestsPerWindow: bulk, windowMs, ...bulkWindow });
    this.#retry = { ...DEFAULT_HTTP_RETRY, ...options.retry };
  }

  /** Sends the request (retrying what can be retried) and returns the parsed JSON answer, if any. */
  async send(request: IdentityRequest, signal: AbortSignal): Promise<unknown> {
    const where: RequestWhere = { entity: 'User', endpoint: `${request.method} ${request.path}` };
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const once = (): Promise<Attempt> =>
        this.#domain.schedule(() => this.#attempt(request, where, signal), signal);
      const outcome = await (request.bulk === true ? this.#bulk.schedule(once, signal) : once()).catch(
        (cause: unknown) => {
          if (signal.aborted) throw transportError(cause, where, 'aborted');
          throw cause;
        },
      );
      if (outcome.ok) return outcome.value;
      const { error } = outcome;
      if (error.code === 'FERRY_HTTP_401' && !renewed) {
        // The token expired early or was revoked: fetch a new one once, then retry at once.
        renewed = true;
        this.#options.tokens.invalidate();
        attempt -= 1;
        continue;
      }
      if (!error.retryable || attempt >= this.#retry.retries || signal.aborted) throw error;
      const delayMs = retryDelay(this.#retry, attempt, outcome.retryAfterMs);
      this.#options.onRetry?.({ path: request.path, attempt: attempt + 1, delayMs, code: error.code });
      await sleep(delayMs, signal).catch((cause: unknown) => {
        throw transportError(cause, where, 'aborted');
      });
    }
  }

  async #attempt(request: IdentityRequest, where: RequestWhere, outer: AbortSignal): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 60_000);
    const signal = AbortSignal.any([outer, timeout]);
    try {
      const token = await this.#options.tokens.get(outer);
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      this.requests += 1;
      const response = await this.#options.fetch(this.#url(request), {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal,
      });
      const text = await response.text();
      if (response.ok) return { ok: true, value: text === '' ? undefined : (JSON.parse(text) as unknown) };
      // Row values (names, e-mails) sent in the body never reach a message: only the server's title.
      const error = statusError(response.status, serverMessage(text, this.#options.tokens.secrets()), where);
      const limited = response.status === 429 && response.headers.get('x-envoy-ratelimited') !== null;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      // Envoy's 429 without Retry-After: wait a slice of the window rather than hammer the domain.
      return { ok: false, error, retryAfterMs: retryAfterMs ?? (limited ? this.#limitedWait() : undefined) };
    } catch (cause) {
      if (cause instanceof FerryError) throw cause;
      const kind = outer.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network';
      return { ok: false, error: transportError(cause, where, kind) };
    }
  }

  #limitedWait(): number {
    return Math.ceil((this.#options.windowMs ?? 60_000) / 12);
  }

  #url(request: IdentityRequest): string {
    const url = new URL(this.#options.baseUrl.replace(/\/$/, '') + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.href;
  }
}
