// Every failure leaves the runner as a FerryError that says where it happened: entity, stage and
// operation. Adapter errors keep their classification (reason, retryable, code); anything else becomes
// reason `unknown`, not retryable, with the original kept as `cause`.

import type { FerryErrorCode } from '../error-codes.js';
import { FerryError, isFerryError } from '../errors.js';
import type { Position } from '../position.js';

/** @internal Where an error happened. */
export interface ErrorSite {
  readonly entity: string;
  /** `read`, `stage`, `write`, `open`, `close`, `flush`, `rejects.write`, `checkpoint.load`, `checkpoint.save`. */
  readonly operation: string;
  readonly stage?: string | undefined;
  /** The source or sink label. */
  readonly component?: string | undefined;
  readonly position?: Position | undefined;
}

const attributed = new WeakSet<object>();

const CODES: Readonly<Record<string, FerryErrorCode>> = {
  read: 'FERRY_SOURCE_READ',
  stage: 'FERRY_STAGE',
  write: 'FERRY_SINK_WRITE',
  open: 'FERRY_SINK_OPEN',
  close: 'FERRY_SINK_CLOSE',
  flush: 'FERRY_SINK_WRITE',
  'rejects.write': 'FERRY_REJECTS_WRITE',
  'checkpoint.load': 'FERRY_CHECKPOINT_LOAD',
  'checkpoint.save': 'FERRY_CHECKPOINT_SAVE',
};

/** @internal A FerryError naming the site; errors already attributed pass through unchanged. */
export function attributeError(error: unknown, site: ErrorSite): FerryError {
  if (typeof error === 'object' && error !== null && attributed.has(error)) return error as FerryError;
  const where = describeSite(site);
  const result = isFerryError(error)
    ? new FerryError(`${where}: ${error.message}`, {
        code: error.code,
        reason: error.reason,
        retryable: error.retryable,
        cause: error,
        entity: error.entity ?? site.entity,
        stage: error.stage ?? site.stage,
        operation: error.operation ?? site.operation,
        attribute: error.attribute,
        key: error.key,
        position: error.position ?? site.position,
      })
    : new FerryError(`${where}: ${messageOf(error)}`, {
        code: CODES[site.operation] ?? 'FERRY_UNKNOWN',
        reason: 'unknown',
        cause: error,
        entity: site.entity,
        stage: site.stage,
        operation: site.operation,
        position: site.position,
      });
  attributed.add(result);
  return result;
}

/** @internal Re-throw errors of `iterable` attributed to `site`; `return()` passes through. */
export async function* attributeErrors<T>(iterable: AsyncIterable<T>, site: ErrorSite): AsyncGenerator<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw attributeError(error, site);
  }
}

function describeSite(site: ErrorSite): string {
  const parts = [`entity "${site.entity}"`];
  if (site.stage !== undefined) parts.push(`stage "${site.stage}"`);
  if (site.component !== undefined) parts.push(`(${site.component})`);
  return `${parts.join(' ')} failed during ${site.operation}`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : 'a non-Error value was thrown';
}
