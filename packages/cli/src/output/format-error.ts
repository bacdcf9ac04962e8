// Turns any error into the one-line (or few-line) message a user sees, and its exit code. No stack
// trace unless asked for; connection strings and passwords are scrubbed from driver messages.

import { isFerryError, type FerryErrorCode } from '@ferry/core';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

const URL_WITH_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** Removes `user:password@` from any URL inside a message. */
export function scrubSecrets(message: string): string {
  return message.replace(URL_WITH_CREDENTIALS, '$1***@');
}

// Errors that are the user's input to fix, whatever their reason (a missing file is `not-found`).
const USAGE_CODES: ReadonlySet<FerryErrorCode> = new Set<FerryErrorCode>([
  'FERRY_CONFIG_MISSING',
  'FERRY_UNKNOWN_ENTITY',
  'FERRY_MAPPING_MISSING',
  'FERRY_REPORT_MISSING',
]);

/** The exit code an error maps to. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (!isFerryError(error)) return ExitCode.failed;
  if (USAGE_CODES.has(error.code)) return ExitCode.usage;
  if (
    error.code === 'FERRY_RUN_LOCKED' ||
    error.code === 'FERRY_RUN_LOCK_LOST' ||
    error.code === 'FERRY_RUN_JOBS_ACTIVE'
  )
    return ExitCode.locked;
  switch (error.reason) {
    case 'invalid-config':
      return ExitCode.usage;
    case 'connection':
    case 'authentication':
      return ExitCode.unreachable;
    case 'aborted':
      return ExitCode.aborted;
    case 'permission':
      return ExitCode.permission;
    default:
      return ExitCode.failed;
  }
}

/** The message printed for an error; with `stack`, the stack and cause chain too. */
export function formatError(error: unknown, options: { readonly stack?: boolean } = {}): string {
  const head = isFerryError(error)
    ? `ferry: ${error.message} [${error.code}${error.entity === undefined ? '' : `, entity ${error.entity}`}]`
    : `ferry: ${error instanceof Error ? error.message : String(error)}`;
  if (options.stack !== true) return scrubSecrets(head);
  const chain: string[] = [head];
  let cause: unknown = error;
  while (cause instanceof Error) {
    chain.push(cause.stack ?? cause.message);
    cause = cause.cause;
  }
  return scrubSecrets(chain.join('\ncaused by: '));
}
