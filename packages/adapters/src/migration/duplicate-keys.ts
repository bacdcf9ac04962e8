// Keys that are not unique in the source. An entity without an identifier is keyed by hand (or by its
// references); if one key value is held by two rows, a keyset read after that key skips the second
// row and the target's primary key refuses a batch with both: a silent loss or a half-loaded entity.
// So the key is checked with one GROUP BY before anything is written (only counts leave the database).

import { FerryError } from '@ferry/core';
import type { CompiledEntity, O11Catalog } from '@ferry/mapping';
import type { Knex } from 'knex';
import { entitySourceSpec } from './migration-source.js';

/** An entity whose key is held by more than one source row. */
export interface DuplicateKeys {
  readonly entity: string;
  /** The key attributes. */
  readonly key: readonly string[];
  /** How many key values are held by more than one row. */
  readonly keys: number;
  /** How many rows hold such a key value. */
  readonly rows: number;
}

/** True when the entity's key is its O11 identifier, which O11 keeps unique with a primary key. */
function keyIsIdentifier(entity: CompiledEntity, catalog: O11Catalog): boolean {
  const source = entity.spec.source;
  if (!('module' in source)) return false;
  const found = catalog.entities.find((e) => e.qualifiedName === `${source.module}.${source.entity}`);
  return (
    found?.identifier !== undefined && entity.spec.key.length === 1 && entity.spec.key[0] === found.identifier
  );
}

/**
 * Counts the duplicate keys of each entity whose key is not its O11 identifier (a full scan of such a
 * table, grouped by the key columns). Entities keyed by their identifier are not queried.
 */
export async function findDuplicateKeys(
  knex: Knex,
  catalog: O11Catalog,
  entities: readonly CompiledEntity[],
  schema?: string,
): Promise<DuplicateKeys[]> {
  const found: DuplicateKeys[] = [];
  for (const entity of entities) {
    if (keyIsIdentifier(entity, catalog)) continue;
    const spec = entitySourceSpec(entity, catalog, 1, schema);
    const table = spec.schema === undefined ? spec.table : `${spec.schema}.${spec.table}`;
    const grouped = knex(table)
      .select(knex.raw('COUNT(*) AS c'))
      .groupBy([...spec.key])
      .havingRaw('COUNT(*) > 1')
      .as('d');
    const rows: { keys?: unknown; rows?: unknown }[] = await knex
      .from(grouped)
      .select(knex.raw('COUNT(*) AS ??', ['keys']), knex.raw('SUM(c) AS ??', ['rows']));
    const keys = Number(rows[0]?.keys ?? 0);
    if (keys > 0)
      found.push({
        entity: entity.name,
        key: entity.key.map((k) => k.name),
        keys,
        rows: Number(rows[0]?.rows ?? 0),
      });
  }
  return found;
}

/** The error `o11MigrationPlan` throws for the first entity with duplicate keys. */
export function duplicateKeyError(duplicate: DuplicateKeys): FerryError {
  return new FerryError(
    `${duplicate.entity}: ${duplicate.keys} value(s) of its key (${duplicate.key.join(', ')}) are held by ` +
      `${duplicate.rows} source rows, so rows would be lost or refused by the target's primary key. ` +
      'Nothing was written: choose a key that is unique (the mapping\'s "key"), or remove the duplicate ' +
      'rows in the source; `ferry check` lists every such entity',
    { code: 'FERRY_DUPLICATE_KEY', reason: 'invalid-data', entity: duplicate.entity, operation: 'plan' },
  );
}
