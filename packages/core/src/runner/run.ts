// The runner: executes a plan's entity pipelines in dependency order with bounded entity concurrency
// (p-queue), each resuming from its checkpoint. An entity starts once every entity it depends on is
// complete; a failed entity makes its dependents skip. The result says whether the run can be resumed.

import PQueue from 'p-queue';
import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import { FerryError } from '../errors.js';
import type { RunStatus } from '../events.js';
import type { EntityPipeline, Plan } from '../plan.js';
import { DEFAULT_BATCH_BYTES } from '../run-types.js';
import type { EntityResult, RunOptions, RunResult } from '../run-types.js';
import type { RunContext } from './entity-context.js';
import { runEntity } from './entity-runner.js';
import { orderPlan } from './plan-order.js';
import { RejectGate } from './reject-gate.js';
import { resolveRetryPolicy } from './retry-backoff.js';
import { RunEmitter } from './run-emitter.js';

/**
 * Run (or resume) a plan. The same `runId` continues every entity from its checkpoint; completed
 * entities are skipped, and a run whose entities are all completed returns `already-completed` without
 * opening any sink. Throws only for an invalid plan or options (reason `invalid-config`) or when the
 * checkpoint store cannot list the run; every other failure is reported in the result.
 *
 * @example
 * ```ts
 * const result = await run(
 *   { entities: [{ entity: 'Customer', source, sink }, { entity: 'Order', dependsOn: ['Customer'], source: s2, sink: k2 }] },
 *   { runId: 'migration-1', checkpoints: new FileCheckpointStore('.ferry/checkpoints'), signal },
 * );
 * if (result.status === 'aborted') console.log('interrupted; run again with the same runId to resume');
 * ```
 */
export async function run(plan: Plan, options: RunOptions): Promise<RunResult> {
  const order = orderPlan(plan);
  const started = performance.now();
  const context = runContext(options);
  const existing = await listCheckpoints(checkpointStores(order, options), options.runId);
  const { emitter, runId } = context;
  emitter.emit({
    type: 'run:start',
    runId,
    entities: order.map((p) => p.entity),
    resumed: existing.length > 0,
  });
  const queue = new PQueue({ concurrency: positive(options.concurrency, 2, 'concurrency') });
  const scheduled = new Map<string, Promise<EntityResult>>();
  for (const pipeline of order) {
    scheduled.set(pipeline.entity, schedule(context, pipeline, scheduled, queue));
  }
  const entities = await Promise.all(plan.entities.map((p) => scheduled.get(p.entity)!));
  const status = runStatus(entities);
  const durationMs = Math.round(performance.now() - started);
  emitter.emit({ type: 'run:end', runId, status, durationMs });
  emitter.logger?.info('run ended', { runId, status, durationMs });
  return { runId, status, resumable: status === 'failed' || status === 'aborted', entities, durationMs };
}

async function schedule(
  context: RunContext,
  pipeline: EntityPipeline,
  scheduled: ReadonlyMap<string, Promise<EntityResult>>,
  queue: PQueue,
): Promise<EntityResult> {
  const deps = await Promise.all((pipeline.dependsOn ?? []).map((name) => scheduled.get(name)!));
  const blocked = deps.filter((dep) => !isDone(dep));
  if (blocked.length > 0) {
    const entity = pipeline.entity;
    const zero = { entity, durationMs: 0, rowsRead: 0, rowsWritten: 0, rowsRejected: 0, rowsFiltered: 0 };
    if (blocked.every((dep) => dep.status === 'aborted')) return { ...zero, status: 'aborted' };
    context.emitter.emit({ type: 'entity:skip', runId: context.runId, entity, reason: 'dependency-failed' });
    return { ...zero, status: 'skipped', skipReason: 'dependency-failed' };
  }
  return queue.add(() => runEntity(context, pipeline), { throwOnTimeout: true });
}

function isDone(result: EntityResult): boolean {
  return result.status === 'completed' || (result.status === 'skipped' && result.skipReason === 'completed');
}

function runStatus(entities: readonly EntityResult[]): RunStatus {
  if (entities.some((e) => e.status === 'failed' || e.skipReason === 'dependency-failed')) return 'failed';
  if (entities.some((e) => e.status === 'aborted')) return 'aborted';
  if (entities.length > 0 && entities.every((e) => e.skipReason === 'completed')) return 'already-completed';
  return 'completed';
}

function runContext(options: RunOptions): RunContext {
  if (options.runId.length === 0) throw invalid('runId must not be empty');
  return {
    runId: options.runId,
    store: options.checkpoints,
    batchSize: positive(options.batchSize, 1000, 'batchSize'),
    batchBytes: positive(options.batchBytes, DEFAULT_BATCH_BYTES, 'batchBytes'),
    commitEvery: positive(options.commitEvery, 50_000, 'commitEvery'),
    maxInFlight: positive(options.maxInFlight, 4, 'maxInFlight'),
    retry: resolveRetryPolicy(options.retry),
    signal: options.signal ?? new AbortController().signal,
    rejects: options.rejects,
    gate: new RejectGate(options.rejectThreshold),
    emitter: new RunEmitter(options.onEvent, options.logger),
    random: Math.random,
  };
}

/**
 * Every store the run's entities use. A sink with `transactions` brings its own store (the runner
 * takes it from the sink); a different `options.checkpoints` would be a second store that the sink
 * never commits into, so it is refused, as is a plain sink without any store.
 */
function checkpointStores(order: readonly EntityPipeline[], options: RunOptions): Set<CheckpointStore> {
  const stores = new Set<CheckpointStore>();
  for (const pipeline of order) {
    if (pipeline.commitEvery !== undefined)
      positive(pipeline.commitEvery, 1, `${pipeline.entity}: commitEvery`);
    const own = pipeline.sink.transactions?.checkpoints;
    if (own !== undefined && options.checkpoints !== undefined && own !== options.checkpoints) {
      throw invalid(
        `entity ${pipeline.entity}: its sink ${pipeline.sink.name} commits checkpoints into its own store, and options.checkpoints is a different one: pass that same store, or none`,
      );
    }
    const store = own ?? options.checkpoints;
    if (store === undefined) {
      throw invalid(
        `entity ${pipeline.entity}: its sink ${pipeline.sink.name} does not commit checkpoints: pass options.checkpoints`,
      );
    }
    stores.add(store);
  }
  if (options.checkpoints !== undefined) stores.add(options.checkpoints);
  return stores;
}

async function listCheckpoints(stores: Set<CheckpointStore>, runId: string): Promise<Checkpoint[]> {
  const lists = await Promise.all(
    [...stores].map((store) =>
      store.list(runId).catch((error: unknown) => {
        throw new FerryError(`cannot list the checkpoints of run "${runId}"`, {
          code: 'FERRY_CHECKPOINT_LOAD',
          reason: 'unknown',
          cause: error,
          operation: 'checkpoint.list',
        });
      }),
    ),
  );
  return lists.flat();
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be an integer >= 1`);
  return value;
}

function invalid(message: string): FerryError {
  return new FerryError(message, { code: 'FERRY_RUN_OPTIONS', reason: 'invalid-config', operation: 'run' });
}
