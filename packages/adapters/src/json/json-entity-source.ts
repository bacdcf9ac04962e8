// The source of one entity in an export folder: `<dir>/<entity>.json` (a top-level array) or
// `<dir>/<entity>.ndjson` (one object per line), chosen by which file exists. Shared by the `ferry`
// CLI (`source.kind: "json"`) and the json-to-odc-rest example, so both name and find files alike.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '@ferry/core';
import type { Row, Source } from '@ferry/core';
import { jsonSource } from './json-source.js';
import type { JsonFormat } from './json-position.js';

/** Options of {@link jsonEntitySource}. */
export interface JsonEntitySourceOptions {
  /** The export folder. */
  readonly dir: string;
  /** The entity name, which is also the file's base name, e.g. `Sales.Customer`. */
  readonly entity: string;
  /** Bytes per file read; default 64 KiB. */
  readonly highWaterMark?: number;
}

/**
 * Finds an entity's export file: `<entity>.json` (array) or `<entity>.ndjson`.
 *
 * @throws FerryError `FERRY_SOURCE_JSON_MISSING` (`not-found`) when neither exists, or
 *   `FERRY_SOURCE_JSON_AMBIGUOUS` (`invalid-config`) when both do.
 */
export function jsonEntityFile(dir: string, entity: string): { path: string; format: JsonFormat } {
  const array = join(dir, `${entity}.json`);
  const lines = join(dir, `${entity}.ndjson`);
  const hasArray = existsSync(array);
  const hasLines = existsSync(lines);
  if (hasArray && hasLines) {
    throw new FerryError(
      `${entity}: both ${entity}.json and ${entity}.ndjson exist in ${dir}: keep one of them`,
      { code: 'FERRY_SOURCE_JSON_AMBIGUOUS', reason: 'invalid-config', entity, operation: 'source.open' },
    );
  }
  if (!hasArray && !hasLines) {
    throw new FerryError(
      `${entity}: no export file: expected ${entity}.json (array) or ${entity}.ndjson in ${dir}`,
      { code: 'FERRY_SOURCE_JSON_MISSING', reason: 'not-found', entity, operation: 'source.open' },
    );
  }
  return hasArray ? { path: array, format: 'array' } : { path: lines, format: 'ndjson' };
}

/**
 * A {@link jsonSource} over an entity's file in an export folder; the file is looked up at once, so a
 * missing one fails before anything runs.
 *
 * @example
 * ```ts
 * const source = jsonEntitySource({ dir: 'export', entity: 'Customer' }); // Customer.json or .ndjson
 * ```
 */
export function jsonEntitySource(options: JsonEntitySourceOptions): Source<Row> {
  const file = jsonEntityFile(options.dir, options.entity);
  return jsonSource({
    ...file,
    name: options.entity,
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
  });
}
