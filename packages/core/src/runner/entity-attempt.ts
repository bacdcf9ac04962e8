// One attempt of an entity: read after the durable position, pipe through the stages, and write. A
// sink with `transactions` goes through the transaction path; a plain sink gets `write` with at most
// `maxInFlight` pending and the runner saves the durable prefix. A failure stops the read, lets
// pending writes settle (they may be durable), then surfaces.

import type { Batch } from '../row.js';
import type { WriteContext } from '../sink.js';
import { emitRead, openPipeline, recordOf } from './attempt-pipeline.js';
import { BatchCommitter } from './batch-committer.js';
import type { EntityContext } from './entity-context.js';
import { attributeError } from './error-attribution.js';
import { InFlightWindow } from './in-flight-window.js';
import { runTransactionAttempt } from './transaction-attempt.js';

/** @internal How an attempt ended when it did not throw. */
export type AttemptOutcome = 'done' | 'aborted';

/**
 * Run one attempt from the tracker's durable state. Resolves `done` when the source is exhausted and
 * every batch is committed, `aborted` when the run signal stopped it; throws the first failure otherwise.
 */
export async function runAttempt(ctx: EntityContext): Promise<AttemptOutcome> {
  if (ctx.transactions !== undefined) return runTransactionAttempt(ctx, ctx.transactions);
  const { run, tracker } = ctx;
  tracker.begin();
  const reader = new AbortController();
  const stopReading = (): void => reader.abort(run.signal.reason);
  run.signal.addEventListener('abort', stopReading, { once: true });
  const window = new InFlightWindow(ctx.maxInFlight, ctx.batchBytes);
  const fail = (error: unknown): void => {
    window.fail(error);
    reader.abort(error);
  };
  const committer = new BatchCommitter(ctx, fail);
  const state = { exhausted: false, lost: false };
  try {
    if (run.signal.aborted) reader.abort(run.signal.reason);
    for await (const batch of openPipeline(ctx, reader.signal)) {
      if (run.signal.aborted || window.failed) break;
      const sequence = tracker.issue(batch.rowsRead);
      emitRead(ctx, sequence, batch.rows.length);
      if (!(await window.acquire(batch.bytes))) break;
      if (run.signal.aborted) {
        window.release(batch.bytes);
        break;
      }
      startWrite(ctx, batch, sequence, { window, committer, fail, state });
      await window.room();
    }
    state.exhausted = !run.signal.aborted && !window.failed;
  } catch (error) {
    fail(
      attributeError(error, { entity: ctx.entity, operation: 'read', component: ctx.pipeline.source.name }),
    );
  } finally {
    run.signal.removeEventListener('abort', stopReading);
  }
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
  readonly state: { lost: boolean };
}

function startWrite(ctx: EntityContext, batch: Batch, sequence: number, deps: WriteDeps): void {
  const { run, pipeline, entity } = ctx;
  const record = recordOf(batch, sequence);
  const context: WriteContext = { entity, runId: run.runId, sequence, signal: run.signal };
  Promise.resolve()
    .then(() => pipeline.sink.write(batch, context))
    .then(
      () => {
        deps.window.release(batch.bytes);
        deps.committer.durable(record);
      },
      (error: unknown) => {
        deps.window.release(batch.bytes);
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
