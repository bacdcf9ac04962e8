// verifyMigration: does every target table hold exactly the mapped source rows? With a knex source it
// runs on the diff engine (range checksums inside both databases, any key type, source rows counted as
// they are: verify-by-diff.ts). With a source factory both sides are streamed, canonicalised per target
// column type and folded into an order-independent digest; for integer keys a second read names keys.

import type { MappingCount } from '@ferry/mapping';
import { MappingStats } from '@ferry/mapping';
import { tableLabel } from '../postgres/identifiers.js';
import { prepareMigration } from './migration-mapping.js';
import type { O11MigrationOptions } from './migration-options.js';
import type { CanonicalValue } from './verify-canonical.js';
import { TableDigest, canonicalLine } from './verify-digest.js';
import { canDiffByKey, diffByKey, type KeyDifferences } from './verify-diff.js';
import { sourceSide, targetSide } from './verify-lines.js';
import { verifyByDiff } from './verify-by-diff.js';

/** Options of {@link verifyMigration}: the migration's own options, and how far to look. */
export interface VerifyMigrationOptions extends O11MigrationOptions {
  /**
   * On a mismatch, list up to this many differing keys of each kind. Default 20; 0 skips. Every key
   * type with a knex source; integer keys only with a source factory.
   */
  readonly listKeys?: number;
  readonly signal?: AbortSignal;
}

/** One entity's verification. */
export interface VerifyEntityReport {
  readonly entity: string;
  /** `schema.table` of the target. */
  readonly table: string;
  readonly ok: boolean;
  /** Mapped source rows (rejected and filtered ones excluded) and their checksum. */
  readonly source: {
    readonly rows: number;
    readonly checksum: string;
    readonly rejected: number;
    readonly filtered: number;
  };
  readonly target: { readonly rows: number; readonly checksum: string };
  /** Present on a mismatch when the keys could be listed. */
  readonly differences?: KeyDifferences;
}

/** The verification of a migration. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly entities: readonly VerifyEntityReport[];
  /** Mapping counters of the verification read (e.g. deleted static records set to NULL). */
  readonly mapping: readonly MappingCount[];
}

async function digestOf(rows: AsyncIterable<readonly CanonicalValue[]>): Promise<TableDigest> {
  const digest = new TableDigest();
  for await (const row of rows) digest.add(canonicalLine(row));
  return digest;
}

/**
 * Compares every planned entity's target table with its mapped source, in flat memory.
 *
 * @example
 * ```ts
 * const report = await verifyMigration({ source: { knex }, catalog, mapping, target: { pool }, userMap });
 * if (!report.ok) console.table(report.entities.filter((e) => !e.ok));
 * ```
 */
export async function verifyMigration(options: VerifyMigrationOptions): Promise<VerifyReport> {
  if ('knex' in options.source) return verifyByDiff(options);
  const { entities, runtime } = prepareMigration(options);
  // The verification keeps its own counters; the services (users, statics, id map) are the run's.
  const services = runtime;
  const stats = new MappingStats();
  const signal = options.signal ?? new AbortController().signal;
  const limit = options.listKeys ?? 20;
  const reports: VerifyEntityReport[] = [];
  for (const entity of entities) {
    const source = sourceSide(options, entity, services, stats, signal);
    const [sourceDigest, targetDigest] = await Promise.all([
      digestOf(source.rows),
      digestOf(targetSide(options, entity).rows),
    ]);
    const ok = sourceDigest.rows === targetDigest.rows && sourceDigest.checksum === targetDigest.checksum;
    const differences =
      ok || limit <= 0 || !canDiffByKey(entity)
        ? undefined
        : await diffByKey(
            entity,
            sourceSide(options, entity, services, new MappingStats(), signal).rows,
            targetSide(options, entity, true).rows,
            limit,
          );
    reports.push({
      entity: entity.name,
      table: tableLabel(entity.table),
      ok,
      source: { rows: sourceDigest.rows, checksum: sourceDigest.checksum, ...source.skipped },
      target: { rows: targetDigest.rows, checksum: targetDigest.checksum },
      ...(differences === undefined ? {} : { differences }),
    });
  }
  return { ok: reports.every((r) => r.ok), entities: reports, mapping: stats.snapshot() };
}
