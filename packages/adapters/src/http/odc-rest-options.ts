// Options of the ODC REST sink and their validation. Defaults keep requests far under ODC's limits
// (28.6 MB per request, 60 s per call) and are overridable for apps that allow more.

import { FerryError } from '@ferry/core';
import type { IdMapStore, Logger } from '@ferry/core';
import type { OdcAuth } from './http-auth.js';
import type { FetchLike, RetryInfo } from './http-call.js';
import type { HttpRetryPolicy } from './http-retry.js';
import type { RequestLimiter } from './request-limiter.js';

/** ODC's request size limit, in bytes (28.6 MB). */
export const ODC_MAX_REQUEST_BYTES = 28.6 * 1000 * 1000;
/** ODC's REST method timeout, in ms. */
export const ODC_TIMEOUT_MS = 60_000;
/** Default request body cap: 8 MiB, well under {@link ODC_MAX_REQUEST_BYTES}. */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Default records per request. */
export const DEFAULT_MAX_ROWS = 500;

/** Where and how to reach one ODC app. Shared by the sink and {@link createOdcUsers}. */
export interface OdcAppOptions {
  /** The REST API's base URL, e.g. `https://acme.outsystems.app/Sales/rest/FerryImport`. */
  readonly baseUrl: string;
  /** Credentials from the caller or {@link odcAuthFromEnv}; omitted only for an open test server. */
  readonly auth?: OdcAuth;
  /** A shared limiter (concurrency and rate per app); when absent the call builds its own. */
  readonly limiter?: RequestLimiter;
  /** Requests in flight at once when no `limiter` is given. Default 4. */
  readonly concurrency?: number;
  /** Requests per minute when no `limiter` is given; unlimited when absent. */
  readonly requestsPerMinute?: number;
  /** The length of the "minute", in ms, for tests. Default 60_000. */
  readonly windowMs?: number;
  /** Per-request timeout in ms. Default 60_000 (ODC's limit: waiting longer is pointless). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<HttpRetryPolicy>;
  /** Default the global `fetch`. */
  readonly fetch?: FetchLike;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly logger?: Logger;
  /** Allow `http:` to a non-loopback host (the token would travel in clear). Default false. */
  readonly allowInsecureHttp?: boolean;
}

/** Options of {@link odcRestSink}. */
export interface OdcRestSinkOptions extends OdcAppOptions {
  /** The ODC entity name: sent as `entity` in every request and naming the default path. */
  readonly entity: string;
  /**
   * The entity the returned ids are recorded under in the id map. Default: the pipeline's entity name
   * (`WriteContext.entity`, e.g. `Sales.Customer`), which is what @ferry/mapping's reference remap
   * and {@link remapReferences} look up.
   */
  readonly idMapEntity?: string;
  /** Method path under `baseUrl`. Default `Upsert<entity>`. */
  readonly path?: string;
  /** Full endpoint per entity; overrides `path`. May return a path relative to `baseUrl` or a URL. */
  readonly endpoint?: (entity: string) => string;
  /** Where the returned ids go (persisted with the checkpoint). */
  readonly idMap: IdMapStore;
  /**
   * The row's O11 key attribute(s), not sent as attributes. Default `Id`. Ignored for rows whose key
   * @ferry/mapping's stage recorded (identity `remap`).
   */
  readonly key?: string | readonly string[];
  /** Attributes never sent. */
  readonly omit?: readonly string[];
  /** Records per request. Default 500. */
  readonly maxRows?: number;
  /** Request body bytes. Default 8 MiB; at most {@link ODC_MAX_REQUEST_BYTES}. */
  readonly maxBytes?: number;
}

/** Checks a base URL and returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: string, allowInsecureHttp = false): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw configError('baseUrl is not a valid URL', cause);
  }
  if (url.username !== '' || url.password !== '')
    throw configError('baseUrl must not hold credentials: use auth');
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || allowInsecureHttp))) {
    throw configError(
      `baseUrl must use https (got ${url.protocol}); set allowInsecureHttp only for trusted networks`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** Resolves a path or URL against the base URL. */
export function joinEndpoint(base: string, pathOrUrl: string): string {
  if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
  return `${base}/${pathOrUrl.replace(/^\/+/, '')}`;
}

/** Checks a positive integer option. */
export function positiveInt(
  name: string,
  value: number | undefined,
  fallback: number,
  max = Infinity,
): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 1 || result > max) {
    throw configError(`${name} must be an integer from 1 to ${max} (got ${String(value)})`);
  }
  return result;
}

/** An invalid-config error. */
export function configError(message: string, cause?: unknown): FerryError {
  return new FerryError(message, {
    code: 'FERRY_HTTP_CONFIG',
    reason: 'invalid-config',
    operation: 'configure',
    ...(cause === undefined ? {} : { cause }),
  });
}
