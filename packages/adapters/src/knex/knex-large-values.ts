// Large Binary Data values of the knex source, read in slices. A driver holds a whole value while it
// receives it (pg as hex text twice the size, in a buffer that doubles as it grows), so a 20 MB photo
// costs ~150 MB at once. The page query leaves values over SLICED_ABOVE_BYTES out (NULL, with their
// length); each is then read by key in slices (sliceBytes) into one buffer of its exact size.

import type { Row, Value } from '@ferry/core';
import type { Knex } from 'knex';
import type { SourceColumn } from './knex-column.js';
import { byteLengthExpression, keyPlaceholder } from './knex-dialect.js';
import type { KnexDialect } from './knex-dialect.js';

/**
 * Bytes per slice: 1 MiB, but 48 KiB on PostgreSQL, whose bytea arrives as hex text: a slice's text
 * (96 KB) then stays under V8's large-object size (128 KB) and dies young, instead of piling up as
 * large-object garbage until a full collection.
 */
export function sliceBytes(dialect: KnexDialect): number {
  return dialect === 'postgres' ? 48 * 1024 : 1024 * 1024;
}

/**
 * Values above this are read in slices: a page then carries only small values (pg receives bytea as
 * hex text, twice its size, into a buffer that doubles, so a page of 8 × 1 MB values cost ~60 MB).
 */
export const SLICED_ABOVE_BYTES = 256 * 1024;

/** `SUBSTRING(col, from, for)` per dialect (1-based); `undefined` where values are not sliced. */
function sliceExpression(dialect: KnexDialect): string | undefined {
  switch (dialect) {
    case 'postgres':
      return 'SUBSTRING(?? FROM CAST(? AS integer) FOR CAST(? AS integer))';
    case 'mysql':
    case 'mssql':
      return 'SUBSTRING(??, ?, ?)';
    case 'sqlite':
      return 'SUBSTR(??, ?, ?)';
    case 'oracle':
      return undefined;
  }
}

/** The table a slice is read from. */
export interface SliceTarget {
  readonly knex: Knex;
  readonly dialect: KnexDialect;
  readonly table: string;
  readonly schema?: string | undefined;
  readonly key: readonly SourceColumn[];
}

/** Whether this dialect reads large values in slices. */
export function slicesValues(dialect: KnexDialect): boolean {
  return sliceExpression(dialect) !== undefined;
}

/**
 * The select items of a sliced Binary Data column: the value when it is at most {@link SLICED_ABOVE_BYTES}
 * (else NULL), and, to be selected after every column, its length as `ferry_len_<index>`.
 */
export function slicedColumn(
  knex: Knex,
  dialect: KnexDialect,
  name: string,
  index: number,
): { value: Knex.Raw; length: Knex.Raw } {
  const length = byteLengthExpression(dialect);
  return {
    value: knex.raw(`CASE WHEN ${length} > ${SLICED_ABOVE_BYTES} THEN NULL ELSE ?? END AS ??`, [
      name,
      name,
      name,
    ]),
    length: knex.raw(`${length} AS ??`, [name, `ferry_len_${index}`]),
  };
}

/** One large value of the row with key `keyValues`, read in slices into a buffer of `length` bytes. */
export async function readSliced(
  target: SliceTarget,
  keyValues: readonly string[],
  column: string,
  length: number,
): Promise<Buffer> {
  const { knex, dialect, table, schema, key } = target;
  const out = Buffer.allocUnsafe(length);
  const where = key.map((k) => `?? = ${keyPlaceholder(dialect, k.kind)}`).join(' AND ');
  const bindings = key.flatMap((k, i) => [k.name, keyValues[i]!]);
  const slice = sliceBytes(dialect);
  let at = 0;
  while (at < length) {
    let query = knex.queryBuilder().from(table);
    if (schema !== undefined) query = query.withSchema(schema);
    const piece = knex.raw(`${sliceExpression(dialect)!} AS ferry_slice`, [column, at + 1, slice]);
    const rows: { ferry_slice?: unknown }[] = await query.select(piece).whereRaw(where, bindings);
    const part = rows[0]?.ferry_slice;
    // A value rewritten or deleted between the page and its slices is refused, never stored torn.
    if (!(part instanceof Uint8Array) || part.byteLength === 0 || at + part.byteLength > length) {
      throw new Error(`value of ${column} changed while it was read in slices`);
    }
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Sets a row's value (rows are built by the source and not shared yet). */
export function setValue(row: Row, column: string, value: Value): void {
  (row as Record<string, Value>)[column] = value;
}
