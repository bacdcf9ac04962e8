// Before a sync writes anything from a diff it did not compute itself (a diff file), it checks the
// diff against the target: every key listed only in the source must be absent from the target, every
// key listed only in the target present. A diff already applied, or a target changed since, fails
// here with FERRY_SYNC_DIFF_STALE naming entity and keys (keys, never values), and nothing is written.

import { FerryError } from '@ferry/core';
import type { CompiledEntity } from '@ferry/mapping';
import { qualifiedTableName, quoteIdentifier } from '../postgres/identifiers.js';
import { paramArrays, tableColumns } from '../postgres/param-arrays.js';
import type { PgPool } from '../postgres/pg-driver.js';
import { planTable } from '../postgres/table-plan.js';
import type { DiffKey, DiffReport } from './diff-types.js';

const CHUNK = 10_000;
const SHOWN = 10;

/** The indexes in `keys` of the keys that have a row in the entity's target table. */
async function presentKeys(
  pool: PgPool,
  entity: CompiledEntity,
  keys: readonly DiffKey[],
): Promise<Set<number>> {
  const table = entity.table;
  const columns = tableColumns(table, table.key);
  const names = columns.map((column) => quoteIdentifier(column.name));
  const arrays = columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
  const match = names.map((name) => `t.${name} = v.${name}`).join(' AND ');
  const sql = `SELECT v.ord FROM ${qualifiedTableName(table)} AS t JOIN unnest(${arrays}) WITH ORDINALITY AS v(${names.join(', ')}, ord) ON ${match}`;
  const encode = paramArrays(planTable(table), columns);
  const present = new Set<number>();
  for (let at = 0; at < keys.length; at += CHUNK) {
    const rows = keys
      .slice(at, at + CHUNK)
      .map((key) => Object.fromEntries(columns.map((column, i) => [column.name, key[i] ?? null])));
    const result = await pool.query(sql, encode(rows));
    for (const row of result.rows as { ord: string }[]) present.add(at + Number(row.ord) - 1);
  }
  return present;
}

const stale = (entity: string, keys: readonly DiffKey[], what: string): FerryError =>
  new FerryError(
    `the diff is stale: ${keys.length} key(s) ${what} (${keys
      .slice(0, SHOWN)
      .map((k) => k.join('/'))
      .join(
        ', ',
      )}${keys.length > SHOWN ? ', ...' : ''}); it was applied already or the target changed since. ` +
      'Nothing was written: run `ferry sync` without --diff-file, it diffs again',
    { code: 'FERRY_SYNC_DIFF_STALE', reason: 'invalid-data', entity, operation: 'sync' },
  );

/**
 * Checks `diff` against the target before a sync writes: the keys only in the source must have no
 * target row, the keys only in the target must have one.
 *
 * @throws FerryError `FERRY_SYNC_DIFF_STALE` (reason `invalid-data`) naming the first entity that fails
 *   and up to 10 of its keys.
 */
export async function checkDiffFresh(
  pool: PgPool,
  entities: readonly CompiledEntity[],
  diff: DiffReport,
): Promise<void> {
  for (const e of diff.entities) {
    const entity = entities.find((candidate) => candidate.name === e.entity);
    if (entity === undefined || e.onlyInSource.length + e.onlyInTarget.length === 0) continue;
    const inserted = await presentKeys(pool, entity, e.onlyInSource);
    if (inserted.size > 0)
      throw stale(
        e.entity,
        e.onlyInSource.filter((_, i) => inserted.has(i)),
        'to insert already in the target',
      );
    const kept = await presentKeys(pool, entity, e.onlyInTarget);
    const gone = e.onlyInTarget.filter((_, i) => !kept.has(i));
    if (gone.length > 0) throw stale(e.entity, gone, 'to delete no longer in the target');
  }
}
