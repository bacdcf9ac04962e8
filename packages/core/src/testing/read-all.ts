// Drains a source into memory, for tests and fixtures only (a real pipeline never loads a table).

import type { Position } from '../position.js';
import type { Batch, Row } from '../row.js';
import type { Source } from '../source.js';

/**
 * Every batch a source yields after `after`, and their rows flattened. Test helper: it loads the read.
 *
 * @example
 * ```ts
 * const { rows, batches } = await readAll(source, 7);
 * ```
 */
export async function readAll<R = Row>(
  source: Source<R>,
  batchSize: number,
  after?: Position,
): Promise<{ rows: R[]; batches: Batch<R>[] }> {
  const batches: Batch<R>[] = [];
  for await (const batch of source.read({ batchSize, after })) batches.push(batch);
  return { rows: batches.flatMap((b) => b.rows), batches };
}
