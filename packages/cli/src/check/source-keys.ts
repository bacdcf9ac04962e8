// The source side of `ferry check` that needs the data, not only the catalog: keys held by more than
// one row (an entity keyed by hand or by its references). Counts only, no value leaves the source.

import type { CompiledEntity } from '@ferry/mapping';
import type { CliSession } from '../session/cli-session.js';
import { duplicateKeys } from '../session/source-parts.js';
import type { CheckFinding } from './model-check.js';

/** One `duplicate-key` finding per entity whose key is not unique in the source. */
export async function sourceKeyFindings(
  session: CliSession,
  entities: readonly CompiledEntity[],
): Promise<CheckFinding[]> {
  const found = await duplicateKeys(await session.sourceParts(), entities);
  return found.map((d) => ({
    kind: 'duplicate-key',
    entity: d.entity,
    attribute: d.key.join(', '),
    expected: 'unique key',
    actual: `${d.keys} key value(s) held by ${d.rows} rows`,
  }));
}
