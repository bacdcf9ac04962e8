// diffMigration: which keys differ between the mapped source and the target, entity by entity, found
// by checksums of key ranges computed inside both databases and bisected down to the differing rows.
// An unchanged entity costs one checksum query per side and moves no row over the wire.

import { FerryError } from '@ferry/core';
import { MappingStats } from '@ferry/mapping';
import { knexDialect } from '../knex/knex-dialect.js';
import { tableLabel } from '../postgres/identifiers.js';
import { bisect } from './diff-bisect.js';
import { checksumText } from './diff-hash.js';
import { NodeRangeReader } from './diff-node-read.js';
import { knexRunner, pgRunner } from './diff-runners.js';
import { sourceShape, targetShape } from './diff-shapes.js';
import { SqlSide } from './diff-sql-side.js';
import type { DiffReport, EntityDiff } from './diff-types.js';
import { prepareMigration } from './migration-mapping.js';
import { dependencyOrder, PendingParents } from './diff-parents.js';
import type { O11MigrationOptions } from './migration-options.js';
import { entitySourceSpec } from './migration-source.js';

/** Options of {@link diffMigration}: the migration's own options, and how finely to cut ranges. */
export interface DiffMigrationOptions extends O11MigrationOptions {
  /** Compare a range row by row once neither side holds more rows than this. Default 2,000. */
  readonly leafRows?: number;
  /** Parts a differing range is cut into. Default 16. */
  readonly fanout?: number;
  /** Rows per bucket when a single integer key is bucketed arithmetically. Default 256. */
  readonly bucketRows?: number;
  readonly signal?: AbortSignal;
  /** Counters of the rows mapped in Node (deleted static records set to NULL...). Default a new one. */
  readonly stats?: MappingStats;
}

/**
 * Diffs every planned entity's target table against its mapped source, for any key type (Integer,
 * Long Integer, Text, composite). Keys are the O11 source keys (one exact string per key column).
 * Needs a knex source (MariaDB/MySQL, PostgreSQL, SQLite, SQL Server); throws `FERRY_DIFF_SOURCE`
 * for a factory source, `FERRY_DIFF_KEY` for a key that is not Integer, Long Integer or Text, and
 * the source's or target's classified errors.
 *
 * @example
 * ```ts
 * const report = await diffMigration({ source: { knex }, catalog, mapping, target: { pool }, userMap });
 * for (const e of report.entities) console.log(e.entity, e.onlyInSource.length, e.changed.length);
 * ```
 */
export async function diffMigration(options: DiffMigrationOptions): Promise<DiffReport> {
  const source = options.source;
  if (!('knex' in source)) {
    throw new FerryError(
      'diff needs a knex source (a database it can query by key range), not a source factory',
      {
        code: 'FERRY_DIFF_SOURCE',
        reason: 'invalid-config',
        operation: 'diff',
      },
    );
  }
  const { compiled, entities, runtime } = prepareMigration(options);
  const dialect = knexDialect(source.knex);
  const signal = options.signal ?? new AbortController().signal;
  const bisectOptions = {
    leafRows: options.leafRows ?? 2000,
    fanout: Math.max(2, options.fanout ?? 16),
    bucketRows: Math.max(1, options.bucketRows ?? 256),
    signal,
  };
  const reports = new Map<string, EntityDiff>();
  // Parents first, so their differences are known when their children's references are checked.
  const parents = new PendingParents(runtime.parents);
  for (const entity of dependencyOrder(entities)) {
    const table = tableLabel(entity.table);
    const located = entitySourceSpec(entity, options.catalog, 1, source.schema);
    const pushed = sourceShape(entity, compiled.spec, located, dialect);
    const run = knexRunner(source.knex, dialect, { entity: entity.name, table: located.table });
    const sourceSide = new SqlSide(pushed.shape, run);
    const targetSide = new SqlSide(
      targetShape(entity),
      pgRunner(options.target.pool, { entity: entity.name, table }),
    );
    const reader = new NodeRangeReader(
      entity,
      { shape: pushed.shape, columns: located.columns, run },
      { ...runtime, parents },
      options.stats ?? new MappingStats(),
      sourceSide.counters,
    );
    const found = await bisect(
      { source: sourceSide, target: targetSide, reader },
      pushed.fallback === undefined,
      bisectOptions,
    );
    found.keys.sort(pushed.shape.keys.map((key) => key.kind));
    parents.record(entity.name, found.keys.onlyInSource, found.keys.onlyInTarget);
    reports.set(entity.name, {
      entity: entity.name,
      table,
      onlyInSource: found.keys.onlyInSource,
      onlyInTarget: found.keys.onlyInTarget,
      changed: found.keys.changed,
      sourceRows: found.source.rows,
      targetRows: found.target.rows,
      ...(found.keys.duplicates.length === 0 ? {} : { duplicates: found.keys.duplicates }),
      rejected: found.rejected,
      filtered: found.filtered,
      method: pushed.fallback === undefined ? 'sql' : 'node',
      ...(pushed.fallback === undefined ? {} : { fallback: pushed.fallback }),
      sourceChecksum: checksumText(found.source),
      targetChecksum: checksumText(found.target),
      cost: { source: { ...sourceSide.counters }, target: { ...targetSide.counters } },
    });
  }
  const ordered = entities.map((entity) => reports.get(entity.name)!);
  return { ok: ordered.every((r) => isEqual(r)), entities: ordered };
}

/** Whether an entity's diff found nothing. */
export function isEqual(diff: EntityDiff): boolean {
  return (
    diff.onlyInSource.length +
      diff.onlyInTarget.length +
      diff.changed.length +
      (diff.duplicates?.length ?? 0) ===
      0 &&
    diff.sourceRows === diff.targetRows &&
    diff.sourceChecksum === diff.targetChecksum
  );
}
