// verifyMigration on the diff engine: an entity is verified when its diff is empty, so a row lost
// under a non-unique source key is a difference (the source's rows are counted in SQL as they are,
// not through a keyset read that would skip the second row of a key), and keys of every type are named.

import { MappingStats } from '@ferry/mapping';
import { diffMigration, isEqual } from './diff-migration.js';
import type { DiffKey, EntityDiff } from './diff-types.js';
import type { VerifyEntityReport, VerifyMigrationOptions, VerifyReport } from './verify-migration.js';

function listed(diff: EntityDiff, limit: number): NonNullable<VerifyEntityReport['differences']> {
  const missing = [...(diff.duplicates ?? []), ...diff.onlyInSource];
  const cut = (keys: readonly DiffKey[]) => keys.slice(0, limit);
  return {
    missing: cut(missing),
    unexpected: cut(diff.onlyInTarget),
    changed: cut(diff.changed),
    truncated: Math.max(missing.length, diff.onlyInTarget.length, diff.changed.length) > limit,
  };
}

/** {@link verifyMigration} for a knex source: one diff, reported entity by entity. */
export async function verifyByDiff(options: VerifyMigrationOptions): Promise<VerifyReport> {
  const stats = new MappingStats();
  const report = await diffMigration({ ...options, stats });
  const limit = options.listKeys ?? 20;
  const entities = report.entities.map((diff): VerifyEntityReport => {
    const ok = isEqual(diff);
    return {
      entity: diff.entity,
      table: diff.table,
      ok,
      source: {
        rows: diff.sourceRows,
        checksum: diff.sourceChecksum ?? '',
        rejected: diff.rejected ?? 0,
        filtered: diff.filtered ?? 0,
      },
      target: { rows: diff.targetRows, checksum: diff.targetChecksum ?? '' },
      ...(ok || limit <= 0 ? {} : { differences: listed(diff, limit) }),
    };
  });
  return { ok: entities.every((e) => e.ok), entities, mapping: stats.snapshot() };
}
