// The target table of Ferry's cases, shared by the parent (creates it) and the child (loads it).

import type { TargetTable } from '@ferry/mapping';
import { BENCH_COLUMNS, type BenchColumn } from '../bench-shape.js';

const TYPE: Readonly<Record<BenchColumn['kind'], TargetTable['columns'][number]['type']>> = {
  bigint: 'bigint',
  int: 'integer',
  text: 'varchar',
  decimal: 'numeric',
  bool: 'boolean',
  datetime: 'timestamp',
  date: 'date',
  blob: 'bytea',
};

/** Same-named columns of the types in {@link BENCH_COLUMNS}, key `ID`. */
export function ferryTargetTable(schema: string, table: string): TargetTable {
  return {
    schema,
    table,
    key: ['ID'],
    columns: BENCH_COLUMNS.map((c) => ({
      name: c.column,
      type: TYPE[c.kind],
      nullable: c.nullable === true,
      ...(c.length === undefined || c.kind !== 'text' ? {} : { length: c.length }),
      ...(c.kind === 'decimal' ? { precision: c.length ?? 37, scale: c.decimals ?? 8 } : {}),
    })),
  };
}
