// Which parent rows are in a PostgreSQL target: the mapping stage asks once per batch and referenced
// entity with one indexed query on the parent's table (`key = ANY($1)`, the key's own type inferred by
// the server), so memory stays bounded by the batch whatever the table's size. Parents load before
// their children, so the parent table is complete and holds exactly the rows not rejected.

import { FerryError } from '@ferry/core';
import type { ParentKeys, TargetTable } from '@ferry/mapping';
import type { PgQueryable } from './pg-driver.js';
import { qualifiedTableName, quoteIdentifier, tableLabel } from './identifiers.js';
import { classifyPostgresError } from './postgres-errors.js';

/** Options of {@link postgresParentKeys}. */
export interface PostgresParentKeysOptions {
  /** A pool (or client) on the target database. */
  readonly pool: PgQueryable;
  /** The target table of every entity that can be referenced, by mapping name. */
  readonly tables: ReadonlyMap<string, TargetTable>;
}

/**
 * Parent look-ups against the target tables. `existing` throws `FERRY_PARENT_CHECK` (`invalid-config`)
 * for an entity with no table or a composite key, and a classified `FERRY_PG_ERROR` when the query
 * fails (e.g. the parent's table does not exist in the target: create it or include its entity).
 *
 * @example
 * ```ts
 * const parents = postgresParentKeys({ pool, tables: new Map([['Sales.Client', clientTable]]) });
 * await parents.existing('Sales.Client', ['1', '2']); // Set { '1' } when only client 1 is loaded
 * ```
 */
export function postgresParentKeys(options: PostgresParentKeysOptions): ParentKeys {
  const statements = new Map<string, string>();
  const statementFor = (entity: string): string => {
    const known = statements.get(entity);
    if (known !== undefined) return known;
    const table = options.tables.get(entity);
    const key = table?.key.length === 1 ? table.key[0] : undefined;
    if (table === undefined || key === undefined)
      throw new FerryError(
        `cannot check references to ${entity}: it has no target table with a one-column key in this mapping`,
        { code: 'FERRY_PARENT_CHECK', reason: 'invalid-config', entity },
      );
    const column = quoteIdentifier(key);
    // An untyped array parameter takes the key column's type, so the primary key index is used.
    const sql = `SELECT ${column}::text AS k FROM ${qualifiedTableName(table)} WHERE ${column} = ANY($1)`;
    statements.set(entity, sql);
    return sql;
  };
  return {
    async existing(entity, keys) {
      if (keys.length === 0) return new Set();
      const sql = statementFor(entity);
      try {
        const result = await options.pool.query(sql, [keys]);
        return new Set(result.rows.map((row) => String(row.k)));
      } catch (error) {
        const table = options.tables.get(entity)!;
        throw classifyPostgresError(error, { entity, table: tableLabel(table), operation: 'parent-check' });
      }
    },
  };
}
