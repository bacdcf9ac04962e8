// The errors every source raises the same way: an aborted read (with the position reached, so a
// caller can resume), a bad source option and a classified driver failure. Kept in one place so codes
// and wording never drift.

import { FerryError } from '@ferry/core';
import type { FerryErrorReason, Position } from '@ferry/core';

/** Where a source read failed: entity, operation (`read`, `count`) and the position reached. */
export interface SourceErrorContext {
  readonly entity: string;
  readonly operation: string;
  readonly position?: Position | undefined;
}

/** `FERRY_ABORTED`: the read of `entity` stopped on its signal after reaching `position`. */
export function readAbortedError(entity: string, position: Position): FerryError {
  return new FerryError(`reading ${entity} was aborted`, {
    code: 'FERRY_ABORTED',
    reason: 'aborted',
    entity,
    operation: 'read',
    position,
  });
}

/** `FERRY_SOURCE_CONFIG`: a source option (key, batch size, position) the source cannot use. */
export function sourceConfigError(message: string): FerryError {
  return new FerryError(message, {
    code: 'FERRY_SOURCE_CONFIG',
    reason: 'invalid-config',
    operation: 'read',
  });
}

/**
 * `FERRY_SOURCE_READ`: a driver error with its classified reason. The message names the operation,
 * the entity, the `server` (when given) and `native` (the driver's error number or code), never the
 * driver's text: it may quote row values, so it stays in `cause`.
 */
export function sourceReadError(
  error: unknown,
  reason: FerryErrorReason,
  context: SourceErrorContext,
  native: string,
  server?: string,
): FerryError {
  const where = server === undefined ? '' : ` on ${server}`;
  return new FerryError(`${context.operation} of ${context.entity} failed${where} (${reason}, ${native})`, {
    code: 'FERRY_SOURCE_READ',
    reason,
    cause: error,
    entity: context.entity,
    operation: context.operation,
    position: context.position,
  });
}
