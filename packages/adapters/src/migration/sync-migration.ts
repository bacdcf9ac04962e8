// syncMigration: applies a DiffReport to a PostgreSQL target through the mapping, as a run: the keys
// only in the source and the changed ones are read by key from O11, mapped by the same stage as a run
// and upserted; keys gone from the source are deleted (or kept, per the delete policy). Every pipeline
// commits its rows with its checkpoint in one transaction, so a killed sync resumes exactly.

import { FerryError, run } from '@ferry/core';
import type { Row, RunOptions, Source } from '@ferry/core';
import type { CompiledEntity } from '@ferry/mapping';
import { postgresDeleteSink } from '../postgres/postgres-delete-sink.js';
import { postgresUpdateSink } from '../postgres/postgres-update-sink.js';
import { PostgresCheckpointStore } from '../postgres/postgres-checkpoint-store.js';
import type { DiffKey, DiffReport } from './diff-types.js';
import { prepareMigration } from './migration-mapping.js';
import type { O11MigrationOptions } from './migration-options.js';
import { migrationSink } from './migration-sinks.js';
import { entitySourceSpec } from './migration-source.js';
import { keyListSource, keyRowsSource } from './sync-key-source.js';
import { checkDiffFresh } from './sync-freshness.js';
import { syncPlan } from './sync-plan.js';
import type { DeletePolicy } from './sync-plan.js';
import { syncReport } from './sync-report.js';
import type { SyncReport } from './sync-report.js';

/** Options of {@link syncMigration}: the migration's, plus the sync's own. */
export interface SyncMigrationOptions extends O11MigrationOptions {
  /**
   * The sync's id: its checkpoints are kept under it, and the same id with the same diff resumes it.
   * Use a new id for each catch-up (a completed id writes nothing again).
   */
  readonly runId: string;
  /** Target rows whose key is gone from the source: `delete` (default), `keep`, or `report` (keep and list). */
  readonly deletes?: DeletePolicy;
  /**
   * Check `diff` against the target before writing (default false): its keys only in the source must
   * have no target row, its keys only in the target one (`FERRY_SYNC_DIFF_STALE` otherwise, nothing
   * written). For a diff the caller did not compute just now (a diff file); not when resuming a sync
   * under the same `runId`, whose first writes are already in the target.
   */
  readonly checkDiff?: boolean;
  /** Passed to core's `run` (signal, events, rejects, reject threshold, concurrency, commitEvery). */
  readonly run?: Omit<RunOptions, 'runId' | 'checkpoints'>;
}

/** The store every sink commits into: the PostgreSQL checkpoint store on the target pool, or an error. */
function syncStore(options: SyncMigrationOptions): PostgresCheckpointStore {
  const store = options.checkpoints;
  if (store instanceof PostgresCheckpointStore && store.pool === options.target.pool) return store;
  throw new FerryError(
    'sync needs the PostgresCheckpointStore on the target pool as checkpoints: deletes and upserts commit with their checkpoint (exactly-once)',
    { code: 'FERRY_SYNC_OPTIONS', reason: 'invalid-config', operation: 'sync' },
  );
}

/**
 * Applies `diff` (from `diffMigration`, or built by the caller) to the target of `options`, in a
 * referentially safe order (see `syncPlan`), and reports per entity the rows inserted, updated,
 * deleted, kept and rejected. Rejected rows go to `options.run.rejects` as in a run. Needs a knex
 * source and the `PostgresCheckpointStore` on the target pool (`FERRY_SYNC_OPTIONS` otherwise).
 *
 * @throws FerryError `FERRY_SYNC_OPTIONS`, or `FERRY_SYNC_DIFF_STALE` with `checkDiff`, before anything is written; a pipeline's failure (e.g.
 *   `FERRY_SYNC_DIFF_STALE`: a key without its source row) is in the report's entities instead.
 * @example
 * ```ts
 * const diff = await diffMigration(migration);
 * const report = await syncMigration({ ...migration, runId: `catch-up-${Date.now()}` }, diff);
 * for (const e of report.entities) console.log(e.entity, e.inserted, e.updated, e.deleted);
 * ```
 */
export async function syncMigration(options: SyncMigrationOptions, diff: DiffReport): Promise<SyncReport> {
  const policy = options.deletes ?? 'delete';
  if (!['delete', 'keep', 'report'].includes(policy))
    throw new FerryError(`unknown delete policy "${String(policy)}": use delete, keep or report`, {
      code: 'FERRY_SYNC_OPTIONS',
      reason: 'invalid-config',
      operation: 'sync',
    });
  const source = options.source;
  if (!('knex' in source))
    throw new FerryError('sync reads rows by key through knex: give the source as { knex }', {
      code: 'FERRY_SYNC_OPTIONS',
      reason: 'invalid-config',
      operation: 'sync',
    });
  const store = syncStore(options);
  const { entities, runtime } = prepareMigration(options);
  const { pool } = options.target;
  if (options.checkDiff === true) await checkDiffFresh(pool, entities, diff);
  const target = { ...options.target, mode: 'upsert' as const };
  const keyColumns = (entity: CompiledEntity): string[] => entity.key.map((k) => k.target);
  const plan = syncPlan(entities, diff, policy, {
    source: (entity, pass, keys): Source<Row> =>
      keyRowsSource(source.knex, entitySourceSpec(entity, options.catalog, pass, source.schema), keys),
    keys: (entity, action, keys: readonly DiffKey[]) =>
      keyListSource(
        entity.name,
        keys,
        keyColumns(entity),
        action === 'detach' ? Object.fromEntries(entity.deferred.map((a) => [a.target, null])) : {},
      ),
    sink: (entity, pass) => migrationSink(target, store, entity, pass),
    detach: (entity) =>
      postgresUpdateSink({
        pool,
        table: entity.table,
        columns: entity.deferred.map((a) => a.target),
        checkpoints: store,
        missingAdvice: 'the diff is stale, run `ferry sync` without --diff-file, it diffs again',
      }),
    delete: (entity) => postgresDeleteSink({ pool, table: entity.table, checkpoints: store }),
    runtime,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
  const commitEvery = options.target.commitEvery;
  const result = await run(plan, {
    ...options.run,
    ...(commitEvery === undefined ? {} : { commitEvery }),
    runId: options.runId,
  });
  return syncReport(entities, diff, policy, result);
}
