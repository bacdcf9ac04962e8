// Classifies HTTP outcomes into FerryError reasons at the adapter edge: network errors, 408, 429 and
// 5xx are retryable; every other 4xx is not. Error messages carry the server's message, truncated and
// scrubbed of the request's attribute values and of the auth secret.

import { FerryError } from '@ferry/core';
import type { FerryErrorReason } from '@ferry/core';

/** Where a request failed, for the error's fields. */
export interface RequestWhere {
  readonly entity: string;
  /** The endpoint without query string (never credentials). */
  readonly endpoint: string;
  /** First and last source key of the request, when known. */
  readonly keys?: readonly string[];
}

/** Longest server message kept in an error. */
export const MAX_SERVER_MESSAGE = 300;

/** The reason and retryability of an HTTP status. */
export function classifyStatus(status: number): { reason: FerryErrorReason; retryable: boolean } {
  if (status === 408) return { reason: 'timeout', retryable: true };
  if (status === 429) return { reason: 'rate-limit', retryable: true };
  if (status >= 500) return { reason: status === 504 ? 'timeout' : 'connection', retryable: true };
  if (status === 401 || status === 403) return { reason: 'authentication', retryable: false };
  if (status === 404) return { reason: 'not-found', retryable: false };
  if (status === 409) return { reason: 'unique-violation', retryable: false };
  if (status === 400 || status === 413 || status === 422) return { reason: 'invalid-data', retryable: false };
  return { reason: 'unknown', retryable: false };
}

/**
 * The human part of an error body: ODC's `{ "Errors": [...] }`, a `message`/`error` field, or the text
 * itself (tags stripped); whitespace collapsed, every `secret` replaced by `‹redacted›`, then truncated.
 */
export function serverMessage(body: string, secrets: Iterable<string>): string {
  let text = extractMessage(body).replace(/\s+/g, ' ').trim();
  const sorted = [...new Set(secrets)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  for (const secret of sorted) text = text.split(secret).join('‹redacted›');
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE)}…` : text;
}

function extractMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'string') return parsed;
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      for (const field of ['Errors', 'errors', 'message', 'Message', 'error', 'Error', 'detail', 'title']) {
        const value = record[field];
        if (typeof value === 'string') return value;
        if (Array.isArray(value))
          return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('; ');
      }
    }
  } catch {
    // not JSON: use the text
  }
  return body.replace(/<[^>]*>/g, ' ');
}

/** The error for a non-2xx answer. */
export function statusError(status: number, message: string, where: RequestWhere): FerryError {
  const { reason, retryable } = classifyStatus(status);
  const hint = hintFor(status);
  const said = message === '' ? '' : `: ${message}`;
  return new FerryError(
    `ODC endpoint ${where.endpoint} answered ${status} for entity ${where.entity}${said}${hint}`,
    {
      code: `FERRY_HTTP_${status}`,
      reason,
      retryable,
      entity: where.entity,
      operation: 'write',
      key: where.keys,
    },
  );
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check the token or API key the endpoint expects)';
  if (status === 404) return ' (check baseUrl and the endpoint path of this entity)';
  if (status === 413) return ' (lower maxBytes or maxRows)';
  return '';
}

/** The error for a request that got no answer: network failure, timeout or abort. */
export function transportError(
  cause: unknown,
  where: RequestWhere,
  kind: 'network' | 'timeout' | 'aborted',
): FerryError {
  const code =
    kind === 'timeout'
      ? 'FERRY_HTTP_TIMEOUT'
      : kind === 'aborted'
        ? 'FERRY_HTTP_ABORTED'
        : 'FERRY_HTTP_NETWORK';
  const reason: FerryErrorReason =
    kind === 'timeout' ? 'timeout' : kind === 'aborted' ? 'aborted' : 'connection';
  const detail = kind === 'network' ? networkDetail(cause) : kind === 'timeout' ? 'timed out' : 'was aborted';
  return new FerryError(`request to ODC endpoint ${where.endpoint} for entity ${where.entity} ${detail}`, {
    code,
    reason,
    cause,
    entity: where.entity,
    operation: 'write',
    key: where.keys,
  });
}

function networkDetail(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof inner === 'string' ? `failed (${inner})` : 'failed (network error)';
}
