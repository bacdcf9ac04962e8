// The ODC REST target of a config: its credentials (from the environment, never the file) and one
// request limiter shared by every entity's sink, so `concurrency` and `requestsPerMinute` hold for the
// whole app rather than per entity. The limiter's window is kept in the run's state folder
// (`<runId>.requests.json`: times of the requests still inside it), so a resumed process honours it.

import { RequestLimiter } from '@ferry/adapters/http';
import type { OdcAuth } from '@ferry/adapters/http';
import { resolveEnv } from '../../../config/env-resolve.js';
import { requestWindowFile } from '../../../session/request-window-file.js';
import type { OdcRestTargetConfig } from './odc-rest-config.js';

/** The credentials of the target: bearer token, API key header, or none (an open test server). */
export function odcAuth(
  target: OdcRestTargetConfig,
  env: NodeJS.ProcessEnv = process.env,
): OdcAuth | undefined {
  if (target.token !== undefined) return { bearerToken: resolveEnv(target.token, 'target.token', env) };
  if (target.apiKey !== undefined) {
    return {
      header: target.apiKey.header,
      value: resolveEnv(target.apiKey.value, 'target.apiKey.value', env),
    };
  }
  return undefined;
}

/**
 * The limiter every sink of the run shares. With `historyFile` (and `requestsPerMinute`), the window
 * is read from it at start and written back at every request, so it holds across processes.
 */
export function odcLimiter(target: OdcRestTargetConfig, historyFile?: string): RequestLimiter {
  const keep = historyFile !== undefined && target.requestsPerMinute !== undefined;
  return new RequestLimiter({
    ...(target.concurrency === undefined ? {} : { concurrency: target.concurrency }),
    ...(target.requestsPerMinute === undefined ? {} : { requestsPerWindow: target.requestsPerMinute }),
    ...(keep ? requestWindowFile(historyFile) : {}),
  });
}

/** A label for messages: the app's base URL without query or credentials. */
export function odcTargetLabel(target: OdcRestTargetConfig): string {
  try {
    const url = new URL(target.baseUrl);
    return `ODC app ${url.origin}${url.pathname}`;
  } catch {
    return 'ODC app';
  }
}
