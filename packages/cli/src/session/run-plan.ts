// The plan `ferry run` hands to core's `run`, for every source and target kind: PostgreSQL targets
// through @ferry/adapters/migration's o11MigrationPlan (an advisory lock in the target), NDJSON and
// ODC targets through sink-plan.ts (a lock file in the state folder). Same checkpoints either way.

import { FerryError } from '@ferry/core';
import type { CheckpointStore, Plan } from '@ferry/core';
import { o11MigrationPlan, partitionsFor } from '@ferry/adapters/migration';
import type { MappingStats, UserMap } from '@ferry/mapping';
import type { CliSession } from './cli-session.js';
import { loadUserMapOnce, migrationOptions } from './migration-setup.js';
import type { RunLock } from './run-lock.js';
import { sessionRunLock } from './session-lock.js';
import { sinkPlan } from './sink-plan.js';
import { refuseDuplicateKeys, sourceParts } from './source-parts.js';

/** Everything a run needs, built and locked. */
export interface RunPlan {
  readonly plan: Plan;
  readonly checkpoints: CheckpointStore;
  readonly stats: MappingStats;
  readonly userMap: UserMap | undefined;
  /** Aborted when the run's lock was lost to another process (see {@link RunLock.lost}). */
  readonly lost: AbortSignal | undefined;
  /** Releases the lock and closes what the plan opened. */
  close(): Promise<void>;
}

/** Builds the run's plan and takes the run's lock. */
export async function buildRunPlan(
  session: CliSession,
  entities: readonly string[],
  runId: string,
): Promise<RunPlan> {
  if (session.loaded.config.target.kind === 'postgres') {
    const migration = await migrationOptions(session, entities, runId);
    const lock = await sessionRunLock(session, runId);
    try {
      const built = await o11MigrationPlan(migration);
      return {
        plan: built.plan,
        checkpoints: migration.checkpoints!,
        stats: built.stats,
        userMap: migration.userMap,
        lost: lock.lost,
        close: () => lock.release(),
      };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  if (entities.some((name) => partitionsFor(session.loaded.config.partitions, name) > 1)) {
    throw new FerryError('partitions need a PostgreSQL target: remove "partitions" or set it to 1', {
      code: 'FERRY_CONFIG_PARTITIONS',
      reason: 'invalid-config',
      operation: 'cli',
    });
  }
  const [parts, compiled, checkpoints, userMap] = await Promise.all([
    sourceParts(session),
    session.compiled(),
    session.checkpoints(),
    loadUserMapOnce(session),
  ]);
  if (session.loaded.config.source.kind === 'o11-sql') {
    const chosen = compiled.entities.filter((e) => entities.includes(e.name));
    await refuseDuplicateKeys(parts, chosen);
  }
  const lock: RunLock = await sessionRunLock(session, runId);
  try {
    const built = await sinkPlan(session, parts, compiled, { entities, checkpoints, userMap });
    return {
      plan: built.plan,
      checkpoints,
      stats: built.stats,
      userMap,
      lost: lock.lost,
      close: async () => {
        await built.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
