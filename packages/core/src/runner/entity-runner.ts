// One entity from start to end: load its checkpoint (skip it when completed), count what remains, open
// the sink, run attempts with bounded retries, close the sink exactly once with the outcome, and save
// the `completed` marker only after the sink closed cleanly.

import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import type { EntityStatus } from '../events.js';
import type { FerryError } from '../errors.js';
import type { EntityPipeline } from '../plan.js';
import type { EntityResult } from '../run-types.js';
import type { SinkOutcome } from '../sink.js';
import { CheckpointTracker } from './checkpoint-tracker.js';
import type { EntityContext, RunContext } from './entity-context.js';
import { runAttempt } from './entity-attempt.js';
import { attributeError } from './error-attribution.js';
import { RejectLedger } from './reject-ledger.js';
import { attemptWithRetries } from './retry-loop.js';

/** @internal Run one entity; never throws (failures are in the result). */
export async function runEntity(run: RunContext, pipeline: EntityPipeline): Promise<EntityResult> {
  const entity = pipeline.entity;
  const started = performance.now();
  if (run.signal.aborted) return notStarted(entity, 'aborted');
  const store = entityStore(run, pipeline);
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = await store.load(run.runId, entity);
  } catch (error) {
    const failure = attributeError(error, { entity, operation: 'checkpoint.load' });
    return finish(
      run,
      entity,
      new CheckpointTracker(run.runId, entity, undefined),
      'failed',
      started,
      failure,
    );
  }
  if (checkpoint !== undefined) run.gate.addCheckpoint(checkpoint);
  if (checkpoint?.status === 'completed') {
    run.emitter.emit({ type: 'entity:skip', runId: run.runId, entity, reason: 'completed' });
    return { ...countsOf(checkpoint), entity, status: 'skipped', skipReason: 'completed', durationMs: 0 };
  }
  const ctx = await entityContext(run, pipeline, store, checkpoint);
  run.emitter.emit({
    type: 'entity:start',
    runId: run.runId,
    entity,
    resumedFrom: ctx.tracker.position,
    totalRows: ctx.totalRows,
  });
  run.emitter.logger?.info('entity started', { entity, resumedFrom: ctx.tracker.position });
  const opener = new SinkOpener(ctx);
  let outcome: SinkOutcome;
  let failure: FerryError | undefined;
  try {
    run.gate.check(entity);
    outcome = (await attemptWithRetries(ctx, opener, runAttempt)) === 'done' ? 'completed' : 'aborted';
  } catch (error) {
    outcome = 'failed';
    failure = attributeError(error, { entity, operation: 'write', component: pipeline.sink.name });
  }
  return finishAttempts(ctx, opener.started ? outcome : undefined, outcome, started, failure);
}

/** Opens the sink once; after a failed open the next attempt opens again. */
class SinkOpener {
  readonly #ctx: EntityContext;
  #opened = false;
  /** Whether `open` was ever attempted: the sink must then be closed. */
  started = false;

  constructor(ctx: EntityContext) {
    this.#ctx = ctx;
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    this.started = true;
    const { run, entity, pipeline } = this.#ctx;
    await pipeline.sink.open?.({ entity, runId: run.runId, signal: run.signal });
    this.#opened = true;
  }
}

async function finishAttempts(
  ctx: EntityContext,
  closeWith: SinkOutcome | undefined,
  outcome: SinkOutcome,
  started: number,
  failure: FerryError | undefined,
): Promise<EntityResult> {
  const { run, entity, pipeline, tracker } = ctx;
  try {
    if (closeWith !== undefined) await pipeline.sink.close(closeWith);
  } catch (error) {
    const closeError = attributeError(error, { entity, operation: 'close', component: pipeline.sink.name });
    if (outcome === 'completed') return finish(run, entity, tracker, 'failed', started, closeError);
    run.emitter.logger?.warn('sink close failed', { entity, error: closeError.message });
  }
  const rejectedAll = outcome === 'completed' ? run.gate.everyRowRejected(entity, tracker.counts) : undefined;
  if (rejectedAll !== undefined) {
    // Its durable batches stay (a `running` checkpoint at the end): it is not marked completed.
    outcome = 'failed';
    failure = rejectedAll;
  }
  try {
    if (outcome === 'completed') {
      const done = tracker.checkpoint('completed');
      await ctx.store.save(done);
      run.emitter.emit({
        type: 'checkpoint:saved',
        runId: run.runId,
        entity,
        sequence: done.sequence,
        position: done.position,
      });
    } else if (tracker.unsaved) {
      await ctx.store.save(tracker.checkpoint('running'));
      tracker.markSaved(tracker.sequence);
    }
  } catch (error) {
    const saveError = attributeError(error, { entity, operation: 'checkpoint.save' });
    return finish(run, entity, tracker, 'failed', started, failure ?? saveError);
  }
  return finish(run, entity, tracker, outcome, started, failure);
}

async function entityContext(
  run: RunContext,
  pipeline: EntityPipeline,
  store: CheckpointStore,
  checkpoint: Checkpoint | undefined,
): Promise<EntityContext> {
  const tracker = new CheckpointTracker(run.runId, pipeline.entity, checkpoint);
  let remaining: number | undefined;
  try {
    remaining = await pipeline.source.count?.({ after: tracker.position, signal: run.signal });
  } catch (error) {
    run.emitter.logger?.warn('source count failed; progress has no total', {
      entity: pipeline.entity,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  return {
    run,
    pipeline,
    entity: pipeline.entity,
    tracker,
    store,
    batchSize: pipeline.batchSize ?? run.batchSize,
    batchBytes: run.batchBytes,
    maxInFlight: pipeline.maxInFlight ?? run.maxInFlight,
    commitEvery: pipeline.commitEvery ?? run.commitEvery,
    transactions: pipeline.sink.transactions,
    totalRows: remaining === undefined ? undefined : tracker.counts.rowsRead + remaining,
    startedAt: performance.now(),
    writtenAtStart: tracker.counts.rowsWritten,
    rejectLedger: new RejectLedger(),
  };
}

/** The entity's checkpoint store: the sink's own when it has `transactions` (checked by `run`). */
function entityStore(run: RunContext, pipeline: EntityPipeline): CheckpointStore {
  return pipeline.sink.transactions?.checkpoints ?? run.store!;
}

function finish(
  run: RunContext,
  entity: string,
  tracker: CheckpointTracker,
  status: EntityStatus,
  started: number,
  error: FerryError | undefined,
): EntityResult {
  const durationMs = Math.round(performance.now() - started);
  const counts = tracker.counts;
  if (error !== undefined) run.emitter.logger?.error(error.message, { entity, code: error.code });
  run.emitter.emit({
    type: 'entity:end',
    runId: run.runId,
    entity,
    status,
    durationMs,
    ...counts,
    ...(error === undefined ? {} : { error }),
  });
  return { ...counts, entity, status, durationMs, ...(error === undefined ? {} : { error }) };
}

function notStarted(entity: string, status: EntityStatus): EntityResult {
  return { entity, status, durationMs: 0, rowsRead: 0, rowsWritten: 0, rowsRejected: 0, rowsFiltered: 0 };
}

function countsOf(checkpoint: Checkpoint): Omit<EntityResult, 'entity' | 'status' | 'durationMs'> {
  const { rowsRead, rowsWritten, rowsRejected, rowsFiltered } = checkpoint;
  return { rowsRead, rowsWritten, rowsRejected, rowsFiltered };
}
