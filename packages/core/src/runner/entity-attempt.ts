// One attempt of an entity: read after the durable position, pipe through the stages, hand batches to
// the sink with at most `maxInFlight` pending, and commit the durable prefix. Per-batch work only. A
// failure stops the read, lets pending writes settle (they may be durable), then surfaces.

import type { Batch, Row } from '../row.js';
import type { WriteContext } from '../sink.js';
import { BatchCommitter } from './batch-committer.js';
import type { BatchRecord } from './checkpoint-tracker.js';
import type { EntityContext } from './entity-context.js';
import { attributeError, attributeErrors } from './error-attribution.js';
import { InFlightWindow } from './in-flight-window.js';

/** @internal How an attempt ended when it did not throw. */
export type AttemptOutcome = 'done' | 'aborted';

/**
 * Run one attempt from the tracker's durable state. Resolves `done` when the source is exhausted and
 * every batch is committed, `aborted` when the run signal stopped it; throws the first failure otherwise.
 */
export async function runAttempt(ctx: EntityContext): Promise<AttemptOutcome> {
  const { run, tracker } = ctx;
  tracker.begin();
  const reader = new AbortController();
  const stopReading = (): void => reader.abort(run.signal.reason);
  run.signal.addEventListener('abort', stopReading, { once: true });
  const window = new InFlightWindow(ctx.maxInFlight);
  const fail = (error: unknown): void => {
    window.fail(error);
    reader.abort(error);
  };
  const committer = new BatchCommitter(ctx, fail);
  const state = { exhausted: false, lost: false, handoff: Promise.resolve() as Promise<unknown> };
  try {
    if (run.signal.aborted) reader.abort(run.signal.reason);
    for await (const batch of openPipeline(ctx, reader.signal)) {
      if (run.signal.aborted || window.failed) break;
      const sequence = tracker.issue(batch.rowsRead);
      emitRead(ctx, sequence, batch.rows.length);
      if (!window.hasRoom) await flushSink(ctx, fail);
      if (!(await window.acquire())) break;
      if (run.signal.aborted) {
        window.release();
        break;
      }
      startWrite(ctx, batch, sequence, { window, committer, fail, state });
    }
    state.exhausted = !run.signal.aborted && !window.failed;
  } catch (error) {
    fail(
      attributeError(error, { entity: ctx.entity, operation: 'read', component: ctx.pipeline.source.name }),
    );
  } finally {
    run.signal.removeEventListener('abort', stopReading);
  }
  if (window.pending > 0) await flushSink(ctx, fail);
  await window.drain();
  await committer.idle();
  if (state.exhausted && !window.failed && !state.lost) return 'done';
  if (run.signal.aborted) return 'aborted';
  throw window.failure;
}

interface WriteDeps {
  readonly window: InFlightWindow;
  readonly committer: BatchCommitter;
  readonly fail: (error: unknown) => void;
  readonly state: { lost: boolean; handoff: Promise<unknown> };
}

function startWrite(ctx: EntityContext, batch: Batch, sequence: number, deps: WriteDeps): void {
  const { run, pipeline, entity } = ctx;
  const record: BatchRecord = {
    sequence,
    position: batch.position,
    rows: batch.rows.length,
    rowsRead: batch.rowsRead,
    rowsFiltered: batch.rowsFiltered ?? 0,
    rejects: batch.rejects ?? [],
  };
  const context: WriteContext = { entity, runId: run.runId, sequence, signal: run.signal };
  handOver(ctx, { batch, record, context }, deps).then(
    () => {
      deps.window.release();
      deps.committer.durable(record, ctx.checkpointWrite);
    },
    (error: unknown) => {
      deps.window.release();
      deps.state.lost = true;
      if (run.signal.aborted) return; // rolled back on abort: not durable, not a failure
      deps.fail(
        attributeError(error, {
          entity,
          operation: 'write',
          component: pipeline.sink.name,
          position: record.position,
        }),
      );
    },
  );
}

/** A batch on its way to the sink, with what the runner remembers of it. */
interface Handover {
  readonly batch: Batch;
  readonly record: BatchRecord;
  readonly context: WriteContext;
}

/**
 * Give the batch to the sink. A separate function so the callbacks waiting for durability in
 * `startWrite` do not capture the batch: its rows can be collected once the sink has taken them, which
 * keeps memory flat when many batches wait for one large commit.
 */
function handOver(ctx: EntityContext, job: Handover, deps: WriteDeps): Promise<void> {
  const sink = ctx.pipeline.sink;
  if (!ctx.checkpointWrite) return Promise.resolve().then(() => sink.write(job.batch, job.context));
  return sink.ordered === true
    ? orderedWriteWithCheckpoint(ctx, job, deps)
    : writeWithCheckpoint(ctx, job, deps);
}

/** With one batch in flight, every earlier batch is committed: the checkpoint passed is valid. */
async function writeWithCheckpoint(ctx: EntityContext, job: Handover, deps: WriteDeps): Promise<void> {
  await deps.committer.idle();
  await deps.committer.writeRejects(job.record);
  const checkpoint = ctx.tracker.checkpoint('running', job.record);
  await ctx.pipeline.sink.writeWithCheckpoint!(job.batch, checkpoint, job.context);
}

/**
 * For an ordered sink: hand batches over strictly in sequence (after their rejects are written), each
 * with the checkpoint projected over every batch handed before it, without waiting for durability, so
 * the sink can group them into one transaction. A failed hand-over stops every later one.
 */
function orderedWriteWithCheckpoint(ctx: EntityContext, job: Handover, deps: WriteDeps): Promise<void> {
  const checkpoint = ctx.tracker.project(job.record);
  // The durable promise is boxed so the hand-over chain waits for the hand-over only, not the commit.
  const handed = deps.state.handoff.then(async () => {
    await deps.committer.writeRejects(job.record);
    return { durable: ctx.pipeline.sink.writeWithCheckpoint!(job.batch, checkpoint, job.context) };
  });
  deps.state.handoff = handed;
  handed.catch(() => undefined); // surfaced through the returned promise
  return handed.then((box) => box.durable);
}

function openPipeline(ctx: EntityContext, signal: AbortSignal): AsyncIterable<Batch<Row>> {
  const { pipeline, entity, tracker } = ctx;
  const after = tracker.position;
  let batches = attributeErrors(pipeline.source.read({ after, batchSize: ctx.batchSize, signal }), {
    entity,
    operation: 'read',
    component: pipeline.source.name,
    position: after,
  });
  (pipeline.stages ?? []).forEach((stage, index) => {
    const label = stage.name || `#${index + 1}`;
    batches = attributeErrors(stage(batches, { entity, signal, after }), {
      entity,
      operation: 'stage',
      stage: label,
    });
  });
  return batches;
}

async function flushSink(ctx: EntityContext, fail: (error: unknown) => void): Promise<void> {
  const sink = ctx.pipeline.sink;
  if (sink.flush === undefined) return;
  try {
    await sink.flush();
  } catch (error) {
    if (!ctx.run.signal.aborted)
      fail(attributeError(error, { entity: ctx.entity, operation: 'flush', component: sink.name }));
  }
}

function emitRead(ctx: EntityContext, sequence: number, rows: number): void {
  const { run, tracker, entity } = ctx;
  if (!run.emitter.listening) return;
  run.emitter.emit({
    type: 'batch:read',
    runId: run.runId,
    entity,
    sequence,
    rows,
    ...tracker.counts,
    rowsRead: tracker.rowsReadAhead,
  });
}
