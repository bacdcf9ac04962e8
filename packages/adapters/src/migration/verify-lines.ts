// Both sides of a verification as streams of canonical rows in the same column order: mapped source
// rows and target text rows, each value canonicalised for its target column type.

import type { Row } from '@ferry/core';
import type { CompiledEntity, MappingStats, MappingRuntime } from '@ferry/mapping';
import type { O11MigrationOptions } from './migration-options.js';
import { canonicalValue, type CanonicalValue } from './verify-canonical.js';
import { readMappedSource } from './verify-source-read.js';
import { comparedColumns, readTargetText } from './verify-target-read.js';

/** One side's canonical rows, plus what the source side left out. */
export interface CanonicalSide {
  readonly rows: AsyncIterable<readonly CanonicalValue[]>;
  /** Filled as `rows` is consumed (source side only). */
  readonly skipped: { rejected: number; filtered: number };
}

/** The mapped source rows of an entity, canonical. */
export function sourceSide(
  options: O11MigrationOptions,
  entity: CompiledEntity,
  runtime: Omit<MappingRuntime, 'pass' | 'stats'>,
  stats: MappingStats,
  signal: AbortSignal,
): CanonicalSide {
  const columns = comparedColumns(entity.table);
  const skipped = { rejected: 0, filtered: 0 };
  const canonical = (row: Row) => columns.map((c) => canonicalValue(row[c.name], c.type));
  async function* rows(): AsyncGenerator<readonly CanonicalValue[]> {
    for await (const batch of readMappedSource(options, entity, runtime, stats, signal)) {
      skipped.rejected += batch.rejects?.length ?? 0;
      skipped.filtered += batch.rowsFiltered ?? 0;
      for (const row of batch.rows) yield canonical(row);
    }
  }
  return { rows: rows(), skipped };
}

/** The target rows of an entity, canonical; in key order when `ordered`. */
export function targetSide(
  options: O11MigrationOptions,
  entity: CompiledEntity,
  ordered = false,
): CanonicalSide {
  const types = comparedColumns(entity.table).map((c) => c.type);
  async function* rows(): AsyncGenerator<readonly CanonicalValue[]> {
    for await (const page of readTargetText(options.target.pool, entity.table, entity.name, ordered))
      for (const row of page) yield row.map((text, i) => canonicalValue(text, types[i]!));
  }
  return { rows: rows(), skipped: { rejected: 0, filtered: 0 } };
}
