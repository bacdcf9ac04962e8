// Query pieces of the knex source: the select list with exact-text casts, and row counts (exact, or
// estimated from the statistics PostgreSQL and MariaDB keep, which costs nothing on a huge table).

import type { Knex } from 'knex';
import type { SourceColumn } from './knex-column.js';
import { textCastExpression } from './knex-dialect.js';
import type { KnexDialect } from './knex-dialect.js';
import type { RawFragment } from './knex-keyset.js';

/** The select list: plain columns, or `CAST(col AS text) AS col` for exact kinds. */
export function selectList(
  knex: Knex,
  dialect: KnexDialect,
  columns: readonly SourceColumn[],
): (string | Knex.Raw)[] {
  return columns.map((column) => {
    const cast = column.kind === undefined ? undefined : textCastExpression(dialect, column.kind);
    return cast === undefined ? column.name : knex.raw(`${cast} AS ??`, [column.name, column.name]);
  });
}

interface CountTarget {
  readonly knex: Knex;
  readonly table: string;
  readonly schema?: string | undefined;
}

async function estimate(target: CountTarget, dialect: KnexDialect): Promise<number | undefined> {
  const { knex, table, schema } = target;
  if (dialect === 'postgres') {
    const name = schema === undefined ? `"${table}"` : `"${schema}"."${table}"`;
    const result = await knex.raw<{ rows: { n: string | number }[] }>(
      'SELECT reltuples::bigint AS n FROM pg_class WHERE oid = to_regclass(?)',
      [name],
    );
    const n = Number(result.rows[0]?.n ?? -1);
    return n >= 0 ? n : undefined; // -1: never analysed
  }
  if (dialect === 'mysql') {
    const rows = (await knex('information_schema.TABLES')
      .select('TABLE_ROWS as n')
      .where('TABLE_NAME', table)
      .andWhere('TABLE_SCHEMA', schema ?? knex.raw('DATABASE()'))) as { n: string | number | null }[];
    const n = rows[0]?.n;
    return n === null || n === undefined ? undefined : Number(n);
  }
  return undefined;
}

/** Rows after `where` (or in the whole table), exact or estimated. */
export async function countRows(
  target: CountTarget,
  dialect: KnexDialect,
  mode: 'estimate' | 'exact',
  where: RawFragment | undefined,
): Promise<number> {
  if (mode === 'estimate' && where === undefined) {
    const estimated = await estimate(target, dialect);
    if (estimated !== undefined) return estimated;
  }
  let query = target.knex.queryBuilder().from(target.table);
  if (target.schema !== undefined) query = query.withSchema(target.schema);
  if (where !== undefined) query = query.whereRaw(where.sql, [...where.bindings]);
  const rows: { n?: string | number }[] = await query.count({ n: '*' });
  return Number(rows[0]?.n ?? 0);
}
