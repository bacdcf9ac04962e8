// One attempt of an entity whose sink has `transactions`: the read loop hands batches to a
// TransactionWriter, which writes them in sequence into one open transaction and commits it with its
// checkpoint every `commitEvery` source rows and at the end. Abort or failure rolls the open one back.

import type { SinkTransactions } from '../sink.js';
import { emitRead, openPipeline } from './attempt-pipeline.js';
import type { AttemptOutcome } from './entity-attempt.js';
import type { EntityContext } from './entity-context.js';
import { attributeError } from './error-attribution.js';
import { TransactionWriter } from './transaction-writer.js';

/** @internal Run one attempt through the sink's transactions. */
export async function runTransactionAttempt(
  ctx: EntityContext,
  transactions: SinkTransactions,
): Promise<AttemptOutcome> {
  const { run, tracker } = ctx;
  tracker.begin();
  const reader = new AbortController();
  const stopReading = (): void => reader.abort(run.signal.reason);
  run.signal.addEventListener('abort', stopReading, { once: true });
  const writer = new TransactionWriter(ctx, transactions, (error) => reader.abort(error));
  let exhausted = false;
  try {
    if (run.signal.aborted) reader.abort(run.signal.reason);
    for await (const batch of openPipeline(ctx, reader.signal)) {
      if (run.signal.aborted || writer.failed) break;
      const sequence = tracker.issue(batch.rowsRead);
      emitRead(ctx, sequence, batch.rows.length);
      if (!(await writer.add(batch, sequence))) break;
      await writer.room();
    }
    exhausted = !run.signal.aborted && !writer.failed;
  } catch (error) {
    writer.fail(
      attributeError(error, { entity: ctx.entity, operation: 'read', component: ctx.pipeline.source.name }),
    );
  } finally {
    run.signal.removeEventListener('abort', stopReading);
  }
  if (exhausted) await writer.finish();
  else await writer.abandon();
  if (exhausted && !writer.failed && !run.signal.aborted) return 'done';
  if (run.signal.aborted) return 'aborted';
  throw writer.failure;
}
