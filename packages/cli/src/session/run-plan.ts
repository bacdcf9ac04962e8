// The plan `ferry run` hands to core's `run`, one path for every source and target kind: the source
// kind's parts, the compiled mapping, the checkpoints and the user map; what the target refuses; the
// run's lock; then the target kind's `plan` (PostgreSQL: @ferry/adapters/migration's o11MigrationPlan;
// a sink per entity: kinds/targets/mapping-sink-plan.ts).

import { FerryError } from '@ferry/core';
import type { CheckpointStore, Plan } from '@ferry/core';
import { partitionsFor } from '@ferry/adapters/migration';
import type { MappingStats, UserMap } from '@ferry/mapping';
import type { CliSession } from './cli-session.js';
import type { RunLock } from './run-lock.js';
import { sessionRunLock } from './session-lock.js';
import { loadUserMapOnce } from './user-map-load.js';
import { processName } from './distributed-session.js';
import { hostname } from 'node:os';

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

/**
 * How the plan holds the run's lock: alone (a local run), shared (a distributed run's coordinator),
 * or not at all (a worker's plan for one job: the worker holds the shared lock for its whole life).
 */
export type PlanLock = 'exclusive' | 'shared' | 'none';

/** Builds the run's plan and takes the run's lock (`lock`, default exclusive). */
export async function buildRunPlan(
  session: CliSession,
  entities: readonly string[],
  runId: string,
  lockMode: PlanLock = 'exclusive',
): Promise<RunPlan> {
  const { config } = session.loaded;
  const target = session.targetKind;
  if (target.partitions !== true && entities.some((name) => partitionsFor(config.partitions, name) > 1)) {
    throw new FerryError(
      `partitions need a target kind that supports them (target.kind "${config.target.kind}" does not): remove "partitions" or set it to 1`,
      { code: 'FERRY_CONFIG_PARTITIONS', reason: 'invalid-config', operation: 'cli' },
    );
  }
  const [parts, compiled, checkpoints, userMap] = await Promise.all([
    session.sourceParts(),
    session.compiled(),
    session.checkpoints(),
    loadUserMapOnce(session),
  ]);
  target.refuse?.(
    config.target,
    compiled.entities.filter((e) => entities.includes(e.name)),
  );
  const lock: RunLock =
    lockMode === 'none'
      ? { release: () => Promise.resolve() }
      : await sessionRunLock(
          session,
          runId,
          lockMode === 'shared'
            ? { shared: true, applicationName: processName('run', hostname(), process.pid) }
            : {},
        );
  try {
    const input = { session, config: config.target, parts, compiled, entities, runId, checkpoints, userMap };
    const built = await target.plan(input);
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
