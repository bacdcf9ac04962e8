// Reads what the target tables really are from PostgreSQL's catalog: columns with type, length,
// precision, scale and nullability, and each single-column foreign key's referenced table. Only the
// tables a mapping names are read, by parameter (no identifier is spliced into SQL).

import type pg from 'pg';
import type { ActualTable } from './target-shape.js';

export type { ActualColumn, ActualTable } from './target-shape.js';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  'character varying': 'varchar',
  'timestamp without time zone': 'timestamp',
  'time without time zone': 'time',
  character: 'char',
};

interface ColumnRow {
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: 'YES' | 'NO';
}

/** The table, or `undefined` when it does not exist. */
export async function introspectTable(
  pool: pg.Pool,
  schema: string,
  table: string,
): Promise<ActualTable | undefined> {
  const columns = await pool.query<ColumnRow>(
    `SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  if (columns.rows.length === 0) return undefined;
  const fks = await pool.query<{ column_name: string; target: string }>(
    `SELECT a.attname AS column_name, tn.nspname || '.' || t.relname AS target
       FROM pg_constraint c
       JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
       JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1 AND rn.nspname = $1 AND r.relname = $2`,
    [schema, table],
  );
  return {
    columns: new Map(
      columns.rows.map((row) => [
        row.column_name,
        {
          name: row.column_name,
          type: TYPE_NAMES[row.data_type] ?? row.data_type,
          ...(row.character_maximum_length === null ? {} : { length: row.character_maximum_length }),
          ...(row.data_type === 'numeric' && row.numeric_precision !== null
            ? { precision: row.numeric_precision }
            : {}),
          ...(row.data_type === 'numeric' && row.numeric_scale !== null ? { scale: row.numeric_scale } : {}),
          nullable: row.is_nullable === 'YES',
        },
      ]),
    ),
    references: new Map(fks.rows.map((row) => [row.column_name, row.target])),
  };
}
