// A source row normaliser compiled once per source: each column's normaliser applied to the driver's
// record (an array by index, or an object by name) and the Ferry row built as one object literal of
// fixed shape, instead of adding properties one at a time to an empty object per row.

import type { Row } from '@ferry/core';
import type { ColumnNormalizer } from './column-value.js';

/** A driver record to a Ferry row; throws what a column's normaliser throws. */
export type RowNormalizer = (record: unknown) => Row;

/**
 * Compiles `normalizers[i]` over the columns `names[i]`, reading the record by index (`byIndex`) or by
 * name. Names enter the generated code only as JSON string literals.
 */
export function compileRowNormalizer(
  names: readonly string[],
  normalizers: readonly ColumnNormalizer[],
  byIndex: boolean,
): RowNormalizer {
  const fields = names.map((name, i) => {
    const read = byIndex ? `r[${i}]` : `r[${JSON.stringify(name)}]`;
    return `${JSON.stringify(name)}: N[${i}](${read})`;
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated once per source from JSON-quoted names
  const factory = new Function(
    'N',
    `return function normalizeRow(r) { return { ${fields.join(', ')} }; };`,
  ) as (normalizers: readonly ColumnNormalizer[]) => RowNormalizer;
  return factory(normalizers);
}
