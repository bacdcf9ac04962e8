// What a sync did, per entity and action, from the run of its plan: rows inserted, updated, deleted,
// kept (gone from the source but kept by the delete policy) and rejected by the mapping. A resumed
// sync counts the rows of every process (the runner's counts come from the checkpoints).

import type { EntityResult, FerryError, RunResult, RunStatus } from '@ferry/core';
import type { CompiledEntity } from '@ferry/mapping';
import type { DiffKey, DiffReport } from './diff-types.js';
import { syncPipelineName } from './sync-plan.js';
import type { DeletePolicy, SyncAction } from './sync-plan.js';

/** One entity's sync. */
export interface SyncEntityReport {
  readonly entity: string;
  readonly table: string;
  /** Rows upserted for keys only in the source. */
  readonly inserted: number;
  /** Rows upserted for keys whose values differed. */
  readonly updated: number;
  /** Target rows deleted (keys gone from the source, policy `delete`). */
  readonly deleted: number;
  /** Target rows gone from the source and kept (policies `keep` and `report`). */
  readonly kept: number;
  /** Rows the mapping rejected (with reasons in the run's reject sink), not written. */
  readonly rejected: number;
  /** The kept keys, with the `report` policy. */
  readonly keptKeys?: readonly DiffKey[];
  /**
   * `completed` once every action of the entity is; else `failed` or `aborted` when one of its actions
   * was; `partial` when some actions committed rows and the others were skipped (a dependency failed);
   * `skipped` when none ran.
   */
  readonly status: 'completed' | 'failed' | 'aborted' | 'partial' | 'skipped';
  /** The first error of its actions. */
  readonly error?: FerryError;
}

/** What {@link syncMigration} did. */
export interface SyncReport {
  readonly runId: string;
  /** The run's status: `already-completed` when this sync id had completed before. */
  readonly status: RunStatus;
  /** True when syncing again with the same id and diff continues this sync. */
  readonly resumable: boolean;
  readonly deletes: DeletePolicy;
  readonly entities: readonly SyncEntityReport[];
  readonly durationMs: number;
  /** The run underneath, pipeline by pipeline (`Sales.Order#insert`, ...). */
  readonly run: RunResult;
}

const ACTIONS: readonly SyncAction[] = ['insert', 'update', 'pass2', 'detach', 'delete'];

/** The report of a sync's run. */
export function syncReport(
  entities: readonly CompiledEntity[],
  diff: DiffReport,
  deletes: DeletePolicy,
  result: RunResult,
): SyncReport {
  const byName = new Map(result.entities.map((e) => [e.entity, e] as const));
  const reports = diff.entities.flatMap((d): SyncEntityReport[] => {
    if (!entities.some((e) => e.name === d.entity)) return [];
    const of = (action: SyncAction): EntityResult | undefined =>
      byName.get(syncPipelineName(d.entity, action));
    const results = ACTIONS.flatMap((action) => of(action) ?? []);
    const unfinished = results.find(
      (r) => r.status !== 'completed' && !(r.status === 'skipped' && r.skipReason === 'completed'),
    );
    const error = results.find((r) => r.error !== undefined)?.error;
    const worst = results.find((r) => r.status === 'failed') ?? results.find((r) => r.status === 'aborted');
    const committed = results.some((r) => r.rowsWritten > 0);
    const kept = deletes === 'delete' ? 0 : d.onlyInTarget.length;
    return [
      {
        entity: d.entity,
        table: d.table,
        inserted: of('insert')?.rowsWritten ?? 0,
        updated: of('update')?.rowsWritten ?? 0,
        deleted: of('delete')?.rowsWritten ?? 0,
        kept,
        rejected:
          (of('insert')?.rowsRejected ?? 0) +
          (of('update')?.rowsRejected ?? 0) +
          (of('pass2')?.rowsRejected ?? 0),
        ...(deletes === 'report' ? { keptKeys: d.onlyInTarget } : {}),
        status:
          unfinished === undefined
            ? 'completed'
            : (worst?.status ?? (committed ? 'partial' : unfinished.status)),
        ...(error === undefined ? {} : { error }),
      },
    ];
  });
  return {
    runId: result.runId,
    status: result.status,
    resumable: result.resumable,
    deletes,
    entities: reports,
    durationMs: result.durationMs,
    run: result,
  };
}
