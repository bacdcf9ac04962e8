// How the benchmark builds Ferry's pipeline for the entity: source columns with exact kinds, the
// target table, and the stages between them.

import type { Row, Stage, Source } from '@ferry/core';
import { knexSource, type ColumnKind } from '@ferry/adapters/knex';
import type { TargetTable } from '@ferry/mapping';
import { ferryTargetTable } from './ferry-target.js';
import type { Knex } from 'knex';
import { BENCH_COLUMNS, SOURCE_TABLE, type BenchColumn } from '../bench-shape.js';

/** A ready pipeline and facts for the report. */
export interface FerryPipeline {
  readonly entity: string;
  readonly source: Source<Row>;
  readonly stages: readonly Stage<Row, Row>[];
  readonly table: TargetTable;
  readonly details: Record<string, unknown>;
}

const KIND: Readonly<Record<BenchColumn['kind'], ColumnKind>> = {
  bigint: 'bigint',
  int: 'integer',
  text: 'text',
  decimal: 'decimal',
  bool: 'boolean',
  datetime: 'datetime',
  date: 'date',
  blob: 'binary',
};

/** The direct pipeline: source columns land in same-named target columns (no mapping stage). */
export async function ferryPipeline(db: Knex, schema: string, table: string): Promise<FerryPipeline> {
  await Promise.resolve();
  const source = knexSource({
    knex: db,
    table: SOURCE_TABLE,
    key: ['ID'],
    // ID without a kind: the source's `CAST(ID AS CHAR) AS ID` makes MariaDB ORDER BY the text alias
    // (lexicographic) while the keyset compares numbers, skipping rows; mysql2's bigNumberStrings
    // (withExactTypes) keeps the plain column exact instead. Reported to the knex source's owner.
    columns: BENCH_COLUMNS.map((c) =>
      c.column === 'ID' ? { name: c.column } : { name: c.column, kind: KIND[c.kind] },
    ),
  });
  const target = ferryTargetTable(schema, table);
  return { entity: 'Bench.OrderRow', source, stages: [], table: target, details: { pipeline: 'direct' } };
}
