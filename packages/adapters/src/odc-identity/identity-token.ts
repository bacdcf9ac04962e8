// The OAuth 2.0 client-credentials token of an ODC API client, as ODC documents it: the token endpoint
// comes from the portal's OIDC discovery document (`/identity/.well-known/openid-configuration`), the
// token is cached until shortly before `expires_in` runs out (ODC: 12 hours) and fetched again after a
// 401. The client secret and the token are never logged and are scrubbed from error messages.

import { FerryError } from '@ferry/core';
import type { FetchLike } from '../http/http-call.js';

/** Where and how to get tokens. */
export interface ClientCredentials {
  /** The portal origin, e.g. `https://acme.outsystems.dev` (https unless loopback). */
  readonly portalUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Renew this long before the server's expiry, so a token never expires in flight. */
const EXPIRY_SKEW_MS = 60_000;

/**
 * A cached client-credentials token.
 *
 * @example
 * ```ts
 * const tokens = new ClientCredentialsToken({ portalUrl, clientId, clientSecret }, fetch);
 * const bearer = await tokens.get(signal); // cached; tokens.invalidate() after a 401
 * ```
 */
export class ClientCredentialsToken {
  readonly #credentials: ClientCredentials;
  readonly #fetch: FetchLike;
  readonly #now: () => number;
  #tokenEndpoint: string | undefined;
  #token: { value: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;
  /** Tokens fetched so far (for tests and the summary; never the tokens themselves). */
  fetched = 0;

  constructor(credentials: ClientCredentials, fetchLike: FetchLike, now: () => number = Date.now) {
    this.#credentials = credentials;
    this.#fetch = fetchLike;
    this.#now = now;
  }

  /** Values that must never appear in a message. */
  secrets(): string[] {
    return [this.#credentials.clientSecret, ...(this.#token === undefined ? [] : [this.#token.value])];
  }

  /** Forgets the cached token (after a 401: it expired or was revoked early). */
  invalidate(): void {
    this.#token = undefined;
  }

  /** A valid access token, fetched once for concurrent callers. */
  async get(signal: AbortSignal): Promise<string> {
    if (this.#token !== undefined && this.#token.expiresAt > this.#now()) return this.#token.value;
    this.#pending ??= this.#fetchToken(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetchToken(signal: AbortSignal): Promise<string> {
    const endpoint = (this.#tokenEndpoint ??= await this.#discover(signal));
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#credentials.clientId,
      client_secret: this.#credentials.clientSecret,
    });
    const answer = await this.#json(endpoint, 'token', signal, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
    const value = answer['access_token'];
    const expiresIn = Number(answer['expires_in'] ?? 300);
    if (typeof value !== 'string' || value === '') throw authError('the token answer has no access_token');
    this.fetched += 1;
    // Short-lived tokens (tests) renew at half their life instead of a minute early.
    const lifetime =
      expiresIn * 1000 > 2 * EXPIRY_SKEW_MS ? expiresIn * 1000 - EXPIRY_SKEW_MS : expiresIn * 500;
    this.#token = { value, expiresAt: this.#now() + lifetime };
    return value;
  }

  async #discover(signal: AbortSignal): Promise<string> {
    const url = new URL('/identity/.well-known/openid-configuration', this.#credentials.portalUrl).href;
    const document = await this.#json(url, 'OIDC discovery', signal, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    const endpoint = document['token_endpoint'];
    if (typeof endpoint !== 'string') throw authError('the OIDC discovery document has no token_endpoint');
    return endpoint;
  }

  async #json(
    url: string,
    what: string,
    signal: AbortSignal,
    init: RequestInit,
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.#fetch(url, { ...init, signal });
    } catch (cause) {
      throw new FerryError(`cannot reach the ODC portal's ${what} endpoint ${new URL(url).origin}`, {
        code: 'FERRY_ODC_IDENTITY_UNREACHABLE',
        reason: signal.aborted ? 'aborted' : 'connection',
        retryable: !signal.aborted,
        cause,
        operation: 'odc-identity.token',
      });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw authError(
        `the ${what} endpoint answered ${response.status} (check the API client's id and secret)`,
      );
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw authError(`the ${what} endpoint did not answer JSON`);
    }
  }
}

function authError(message: string): FerryError {
  return new FerryError(`ODC API client: ${message}`, {
    code: 'FERRY_ODC_IDENTITY_AUTH',
    reason: 'authentication',
    operation: 'odc-identity.token',
  });
}
