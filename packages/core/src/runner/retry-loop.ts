// Bounded retries of an entity's attempts. A retryable failure re-opens the read from the last durable
// checkpoint after a backoff with full jitter; the failure budget resets whenever an attempt made
// durable progress, so a long migration survives sporadic blips but a persistent fault stops quickly.

import type { EntityContext } from './entity-context.js';
import type { AttemptOutcome } from './entity-attempt.js';
import { attributeError } from './error-attribution.js';
import { backoffDelay, sleep } from './retry-backoff.js';

/** @internal Opens the sink once (again after a failed open). */
export interface SinkOpener {
  open(): Promise<void>;
}

/** @internal Run attempts until one finishes, the run aborts, or a failure is final. */
export async function attemptWithRetries(
  ctx: EntityContext,
  opener: SinkOpener,
  attempt: (ctx: EntityContext) => Promise<AttemptOutcome>,
): Promise<AttemptOutcome> {
  const { run, entity, tracker } = ctx;
  let failures = 0;
  for (;;) {
    const before = tracker.sequence;
    try {
      try {
        await opener.open();
      } catch (error) {
        throw attributeError(error, { entity, operation: 'open', component: ctx.pipeline.sink.name });
      }
      return await attempt(ctx);
    } catch (caught) {
      const error = attributeError(caught, {
        entity,
        operation: 'read',
        component: ctx.pipeline.source.name,
      });
      if (run.signal.aborted) return 'aborted';
      if (tracker.sequence > before) failures = 0;
      if (!error.retryable || failures >= run.retry.retries) throw error;
      failures += 1;
      const delayMs = backoffDelay(failures, run.retry, run.random);
      run.emitter.emit({ type: 'retry', runId: run.runId, entity, attempt: failures, delayMs, error });
      run.emitter.logger?.warn('retrying after a transient failure', {
        entity,
        attempt: failures,
        delayMs,
        code: error.code,
        reason: error.reason,
      });
      await sleep(delayMs, run.signal);
      if (run.signal.aborted) return 'aborted';
    }
  }
}
