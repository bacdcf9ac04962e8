// One error type for all of Ferry. Adapters classify native errors (SQLSTATE, SQL Server numbers,
// MariaDB errno, HTTP status) into a closed set of reasons at their edge; the reason decides whether
// the runner retries. Messages name the entity, attribute and key, never row values or secrets.

import type { FerryErrorCode } from './error-codes.js';
import type { Position } from './position.js';

/** The closed set of reasons a Ferry operation fails for. */
export type FerryErrorReason =
  | 'connection'
  | 'authentication'
  /** The login may not read or write an object (a table or column privilege), named in the message. */
  | 'permission'
  | 'constraint'
  | 'unique-violation'
  | 'deadlock'
  | 'serialization'
  | 'timeout'
  | 'rate-limit'
  | 'invalid-config'
  | 'invalid-data'
  | 'not-found'
  | 'aborted'
  | 'unknown';

/** Reasons worth retrying: the same operation may succeed a moment later. */
export const RETRYABLE_REASONS: ReadonlySet<FerryErrorReason> = new Set<FerryErrorReason>([
  'connection',
  'deadlock',
  'serialization',
  'timeout',
  'rate-limit',
]);

/** Where and why an error happened. */
export interface FerryErrorOptions {
  /** A stable machine-readable code, e.g. `FERRY_SINK_WRITE`; one of `errorCodes` (error-codes.ts). */
  readonly code: FerryErrorCode;
  readonly reason: FerryErrorReason;
  readonly cause?: unknown;
  readonly entity?: string | undefined;
  readonly stage?: string | undefined;
  /** What was being done, e.g. `read`, `write`, `checkpoint.save`. */
  readonly operation?: string | undefined;
  readonly attribute?: string | undefined;
  /** The row key, one string per key column. */
  readonly key?: readonly string[] | undefined;
  readonly position?: Position | undefined;
  /** Overrides the reason's default retryability (e.g. a 4xx that is known to be transient). */
  readonly retryable?: boolean | undefined;
}

/**
 * The base error of Ferry. `cause` always keeps the original error.
 *
 * @example
 * ```ts
 * throw new FerryError('target table "app"."customer" has no column "email": add it or exclude it', {
 *   code: 'FERRY_TARGET_COLUMN_MISSING', reason: 'invalid-config', entity: 'Customer', attribute: 'Email',
 * });
 * ```
 */
export class FerryError extends Error {
  override readonly name: string = 'FerryError';
  readonly code: FerryErrorCode;
  readonly reason: FerryErrorReason;
  readonly retryable: boolean;
  readonly entity: string | undefined;
  readonly stage: string | undefined;
  readonly operation: string | undefined;
  readonly attribute: string | undefined;
  readonly key: readonly string[] | undefined;
  readonly position: Position | undefined;

  constructor(message: string, options: FerryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.reason = options.reason;
    this.retryable = options.retryable ?? RETRYABLE_REASONS.has(options.reason);
    this.entity = options.entity;
    this.stage = options.stage;
    this.operation = options.operation;
    this.attribute = options.attribute;
    this.key = options.key;
    this.position = options.position;
  }

  /** A JSON-safe summary for reports and `--json` output (no cause chain, no values). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      reason: this.reason,
      retryable: this.retryable,
      entity: this.entity,
      stage: this.stage,
      operation: this.operation,
      attribute: this.attribute,
      key: this.key,
    };
  }
}

/** Whether an error is a {@link FerryError}. */
export function isFerryError(error: unknown): error is FerryError {
  return error instanceof FerryError;
}

/** Whether the runner should retry after this error: only classified, retryable Ferry errors. */
export function isRetryable(error: unknown): boolean {
  return isFerryError(error) && error.retryable;
}
