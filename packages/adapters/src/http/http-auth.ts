// Authentication for calls into an ODC app: a bearer token or an API key header, taken from the caller
// or the environment. The secret is held only to build the request header; it is never logged, never
// put in an error, and `toJSON`/inspection of the holder show it redacted.

import { inspect } from 'node:util';
import { FerryError } from '@ferry/core';

/** How to authenticate: `Authorization: Bearer <token>`, or a custom header such as `X-API-Key`. */
export type OdcAuth = { readonly bearerToken: string } | { readonly header: string; readonly value: string };

/** Names of the environment variables {@link odcAuthFromEnv} reads. */
export interface OdcAuthEnvNames {
  /** Default `FERRY_ODC_TOKEN` (bearer token). */
  readonly token?: string;
  /** Default `FERRY_ODC_API_KEY_HEADER` (header name, e.g. `X-API-Key`). */
  readonly header?: string;
  /** Default `FERRY_ODC_API_KEY` (header value). */
  readonly value?: string;
}

/**
 * Reads authentication from the environment: `FERRY_ODC_TOKEN` for a bearer token, or
 * `FERRY_ODC_API_KEY_HEADER` + `FERRY_ODC_API_KEY` for an API key header.
 *
 * @throws FerryError `FERRY_HTTP_AUTH_MISSING` when neither is set.
 */
export function odcAuthFromEnv(env: NodeJS.ProcessEnv = process.env, names: OdcAuthEnvNames = {}): OdcAuth {
  const tokenName = names.token ?? 'FERRY_ODC_TOKEN';
  const headerName = names.header ?? 'FERRY_ODC_API_KEY_HEADER';
  const valueName = names.value ?? 'FERRY_ODC_API_KEY';
  const token = env[tokenName];
  if (token !== undefined && token !== '') return { bearerToken: token };
  const header = env[headerName];
  const value = env[valueName];
  if (header !== undefined && header !== '' && value !== undefined && value !== '') return { header, value };
  throw new FerryError(`no ODC credentials: set ${tokenName}, or ${headerName} and ${valueName}`, {
    code: 'FERRY_HTTP_AUTH_MISSING',
    reason: 'invalid-config',
    operation: 'auth',
  });
}

/** Holds the auth header for requests; prints as `[redacted]` everywhere. */
export class AuthHeader {
  readonly #name: string;
  readonly #value: string;

  constructor(auth: OdcAuth) {
    if ('bearerToken' in auth) {
      this.#name = 'authorization';
      this.#value = `Bearer ${auth.bearerToken}`;
    } else {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(auth.header)) {
        throw new FerryError('auth header name is not a valid HTTP token', {
          code: 'FERRY_HTTP_AUTH_INVALID',
          reason: 'invalid-config',
          operation: 'auth',
        });
      }
      this.#name = auth.header.toLowerCase();
      this.#value = auth.value;
    }
  }

  /** Adds the header to a header record. */
  apply(headers: Record<string, string>): Record<string, string> {
    return { ...headers, [this.#name]: this.#value };
  }

  /** Every string that must never appear in logs or errors (the secret and the full header value). */
  secrets(): readonly string[] {
    return this.#name === 'authorization'
      ? [this.#value, this.#value.slice('Bearer '.length)]
      : [this.#value];
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'AuthHeader [redacted]';
  }
}
