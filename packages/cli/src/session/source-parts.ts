// The duplicate-key check of a migration's source parts (the source kind's `parts`: a knex source or
// a factory, and the catalog). Only knex sources can be asked; files and factories have none.

import { duplicateKeyError, findDuplicateKeys } from '@ferry/adapters/migration';
import type { DuplicateKeys } from '@ferry/adapters/migration';
import type { CompiledEntity } from '@ferry/mapping';
import type { SourceParts } from '../kinds/kind-types.js';

/** The entities whose key more than one source row holds (knex sources; none for files). */
export async function duplicateKeys(
  parts: SourceParts,
  entities: readonly CompiledEntity[],
): Promise<DuplicateKeys[]> {
  if (!('knex' in parts.source)) return [];
  return findDuplicateKeys(parts.source.knex, parts.catalog, entities, parts.source.schema);
}

/** Throws `FERRY_DUPLICATE_KEY` for the first entity with duplicate keys, before anything is written. */
export async function refuseDuplicateKeys(
  parts: SourceParts,
  entities: readonly CompiledEntity[],
): Promise<void> {
  const [first] = await duplicateKeys(parts, entities);
  if (first !== undefined) throw duplicateKeyError(first);
}
