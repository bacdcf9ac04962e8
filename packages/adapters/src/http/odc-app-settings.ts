// Turns the app options shared by the sink and the users helper into the settings of one call path:
// checked base URL, auth header, limiter, timeout and retry policy.

import { AuthHeader } from './http-auth.js';
import type { HttpCallSettings } from './http-call.js';
import { DEFAULT_HTTP_RETRY } from './http-retry.js';
import { checkBaseUrl, configError, ODC_TIMEOUT_MS, positiveInt } from './odc-rest-options.js';
import type { OdcAppOptions } from './odc-rest-options.js';
import { RequestLimiter } from './request-limiter.js';

/** Checked settings of calls into one ODC app. */
export interface OdcAppSettings extends HttpCallSettings {
  readonly baseUrl: string;
}

/** Validates the options and builds the call settings. */
export function odcAppSettings(options: OdcAppOptions): OdcAppSettings {
  const baseUrl = checkBaseUrl(options.baseUrl, options.allowInsecureHttp);
  const timeoutMs = positiveInt('timeoutMs', options.timeoutMs, ODC_TIMEOUT_MS);
  const retry = { ...DEFAULT_HTTP_RETRY, ...options.retry };
  if (!Number.isInteger(retry.retries) || retry.retries < 0)
    throw configError('retry.retries must be an integer ≥ 0');
  const limiter =
    options.limiter ??
    new RequestLimiter({
      concurrency: positiveInt('concurrency', options.concurrency, 4),
      ...(options.requestsPerMinute === undefined
        ? {}
        : { requestsPerWindow: positiveInt('requestsPerMinute', options.requestsPerMinute, 1) }),
      ...(options.windowMs === undefined
        ? {}
        : { windowMs: positiveInt('windowMs', options.windowMs, 60_000) }),
    });
  return {
    baseUrl,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    auth: options.auth === undefined ? undefined : new AuthHeader(options.auth),
    timeoutMs,
    retry,
    limiter,
    onRetry: options.onRetry,
    logger: options.logger,
  };
}

/** The endpoint as shown in errors and logs: no query string, no fragment. */
export function displayEndpoint(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
