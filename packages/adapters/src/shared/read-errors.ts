// The errors every source raises the same way: an aborted read (with the position reached, so a
// caller can resume) and a bad source option. Kept in one place so codes and wording never drift.

import { FerryError } from '@ferry/core';
import type { Position } from '@ferry/core';

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
