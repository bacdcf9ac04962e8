// What the sink writes for one target table: the columns it sends (generated identity columns are
// left to the target), their quoted names, the `Date` form of each, and the key. Built once per sink.

import { FerryError } from '@ferry/core';
import type { Row } from '@ferry/core';
import type { TargetColumn, TargetTable } from '@ferry/mapping';
import { dateFormFor } from './copy-encoder.js';
import type { DateForm } from './copy-encoder.js';
import { qualifiedTableName, quoteIdentifier, tableLabel } from './identifiers.js';

/** A validated, quoted view of a {@link TargetTable} for SQL generation. */
export interface TablePlan {
  readonly target: TargetTable;
  /** `"schema"."table"`. */
  readonly qualified: string;
  /** `schema.table`, for messages. */
  readonly label: string;
  /** Columns written (every column not `generated`), in table order. */
  readonly columns: readonly TargetColumn[];
  readonly names: readonly string[];
  readonly quoted: readonly string[];
  readonly forms: readonly DateForm[];
  /** Quoted key columns. */
  readonly quotedKey: readonly string[];
}

/** Validate and quote a target table once. */
export function planTable(target: TargetTable): TablePlan {
  const columns = target.columns.filter((column) => column.generated !== true);
  if (columns.length === 0) {
    throw new FerryError(`target ${tableLabel(target)} has no columns to write: fix the mapping`, {
      code: 'FERRY_PG_TABLE',
      reason: 'invalid-config',
    });
  }
  return {
    target,
    qualified: qualifiedTableName(target),
    label: tableLabel(target),
    columns,
    names: columns.map((column) => column.name),
    quoted: columns.map((column) => quoteIdentifier(column.name)),
    forms: columns.map((column) => dateFormFor(column.type)),
    quotedKey: target.key.map(quoteIdentifier),
  };
}

/** The key of a row as strings, for error messages (a key is not a secret; other values are). */
export function rowKey(target: TargetTable, row: Row | undefined): string[] | undefined {
  if (row === undefined) return undefined;
  return target.key.map((name) => keyPart(row[name]));
}

/** One key part as text for messages: strings and numbers as they are, anything else `?`. */
export function keyPart(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : '?';
}
