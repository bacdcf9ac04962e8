// The SQLSTATE classifier: native pg and socket errors become FerryErrors with a reason that decides
// whether core retries. Server messages of classes that can quote row values (22 data, 23 integrity,
// XX internal) are left out of the message; the cause keeps the original error for debugging.

import { FerryError, isFerryError } from '@ferry/core';
import type { FerryErrorReason } from '@ferry/core';

/** Where a PostgreSQL error happened, for the message and the error's fields. */
export interface PostgresErrorContext {
  readonly entity?: string | undefined;
  /** `schema.table`. */
  readonly table?: string | undefined;
  /** e.g. `write`, `commit`, `checkpoint.save`. */
  readonly operation?: string | undefined;
  /** The key of the row that failed, when known (one string per key column); `keyColumns` names them. */
  readonly key?: readonly string[] | undefined;
  readonly keyColumns?: readonly string[] | undefined;
  /** When the row could not be found: the first and last keys of the rows it is among, and how many. */
  readonly among?: {
    readonly first: readonly string[];
    readonly last: readonly string[];
    readonly rows: number;
  };
}

/** The 1-based row of the COPY stream a COPY error names in its context line, if any. */
export function copyErrorLine(where: unknown): number | undefined {
  if (typeof where !== 'string') return undefined;
  const match = /^COPY .*?, line (\d+)/.exec(where.split('\n')[0] ?? '');
  return match === null ? undefined : Number(match[1]);
}

/**
 * The column a COPY error names in its context line (`COPY t, line 3, column email: "<value>"`):
 * the name only, never the value after it. PostgreSQL leaves the `column` field empty for these.
 */
export function copyErrorColumn(where: unknown): string | undefined {
  if (typeof where !== 'string') return undefined;
  const match = /^COPY .*?, line \d+, column (.+?)(?::\s|$)/.exec(where.split('\n')[0] ?? '');
  return match?.[1];
}

const EXACT: Readonly<Record<string, FerryErrorReason>> = {
  '23505': 'unique-violation',
  '40P01': 'deadlock',
  '40001': 'serialization',
  '57014': 'timeout', // query_canceled (statement_timeout)
  '55P03': 'timeout', // lock_not_available (lock_timeout)
  '25P03': 'timeout', // idle_in_transaction_session_timeout
  '57P01': 'connection', // admin_shutdown (pg_terminate_backend)
  '57P02': 'connection', // crash_shutdown
  '57P03': 'connection', // cannot_connect_now (starting up)
  '53300': 'connection', // too_many_connections
  '42P01': 'not-found', // undefined_table
  '42703': 'not-found', // undefined_column
  '3F000': 'not-found', // invalid_schema_name
  '3D000': 'not-found', // invalid_catalog_name
  '42501': 'permission', // insufficient_privilege
};

const BY_CLASS: Readonly<Record<string, FerryErrorReason>> = {
  '08': 'connection',
  '28': 'authentication',
  '23': 'constraint',
  '22': 'invalid-data',
  '40': 'serialization',
};

const NODE_CODES: Readonly<Record<string, FerryErrorReason>> = {
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  EPIPE: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  ETIMEDOUT: 'timeout',
};

/** Classes whose server messages never quote row values, so the message can be kept. */
const SAFE_MESSAGE_CLASSES = new Set(['08', '28', '3D', '3F', '40', '42', '53', '55', '57']);

/** The reason for a SQLSTATE or Node error code; `unknown` when it is not known. */
export function postgresReason(code: string | undefined, message = ''): FerryErrorReason {
  if (code !== undefined) {
    const reason =
      EXACT[code] ?? NODE_CODES[code] ?? (code.length === 5 ? BY_CLASS[code.slice(0, 2)] : undefined);
    if (reason !== undefined) return reason;
  }
  // pg raises these without a code when the socket or pool gives out.
  if (/^Connection terminated|^Client has encountered a connection error|not queryable/i.test(message)) {
    return 'connection';
  }
  if (/timeout/i.test(message)) return 'timeout';
  return 'unknown';
}

/**
 * Turn any error from `pg` into a {@link FerryError} (a FerryError passes through unchanged). The
 * message names the table, operation, SQLSTATE, constraint and column, never row values or the
 * connection string.
 *
 * @example
 * ```ts
 * try { await pool.query(sql) } catch (e) { throw classifyPostgresError(e, { table: 'app.customer', operation: 'write' }) }
 * ```
 */
export function classifyPostgresError(error: unknown, context: PostgresErrorContext = {}): FerryError {
  if (isFerryError(error)) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const native = typeof fields.message === 'string' ? fields.message : '';
  if (fields.name === 'AbortError')
    return build('aborted', 'the operation was aborted', error, context, code);
  const reason = postgresReason(code, native);
  const parts: string[] = [];
  if (code !== undefined) parts.push(code.length === 5 ? `SQLSTATE ${code}` : code);
  if (typeof fields.constraint === 'string') parts.push(`constraint "${fields.constraint}"`);
  const column = typeof fields.column === 'string' ? fields.column : copyErrorColumn(fields.where);
  if (column !== undefined) parts.push(`column "${column}"`);
  const sqlClass = code !== undefined && code.length === 5 ? code.slice(0, 2) : undefined;
  const keepMessage =
    sqlClass === undefined ? code !== undefined || reason !== 'unknown' : SAFE_MESSAGE_CLASSES.has(sqlClass);
  const detail = keepMessage && native !== '' ? `: ${redact(native)}` : '';
  return build(reason, `${parts.join(', ')}${detail}`, error, context, code, column);
}

function build(
  reason: FerryErrorReason,
  detail: string,
  cause: unknown,
  context: PostgresErrorContext,
  code: string | undefined,
  column?: string,
): FerryError {
  const where = context.table === undefined ? '' : ` on ${context.table}`;
  const during = context.operation === undefined ? '' : ` during ${context.operation}`;
  const columns = (context.keyColumns ?? []).join(', ');
  const among = context.among;
  const key =
    context.key !== undefined
      ? `; first failing row: key (${columns}) = (${context.key.join(', ')})`
      : among !== undefined
        ? `; the failing row is one of the ${among.rows} rows of this transaction, keys (${columns}) from (${among.first.join(', ')}) to (${among.last.join(', ')})`
        : '';
  return new FerryError(
    `PostgreSQL ${reason} error${where}${during} (${detail || code || 'no code'})${key}`,
    {
      code: 'FERRY_PG_ERROR',
      reason,
      cause,
      entity: context.entity,
      operation: context.operation,
      ...(column === undefined ? {} : { attribute: column }),
      ...(context.key === undefined ? {} : { key: context.key }),
    },
  );
}

/** Drop anything that looks like a connection string or password from a driver message. */
function redact(message: string): string {
  return message
    .replace(/postgres(ql)?:\/\/\S+/gi, '<connection string>')
    .replace(/password=\S+/gi, 'password=<hidden>');
}
