// What both write paths of an attempt share: the source read piped through the stages (errors
// attributed to their component), the `batch:read` event, and the batch record the runner keeps.

import type { Position } from '../position.js';
import type { Batch, Row } from '../row.js';
import type { BatchRecord } from './checkpoint-tracker.js';
import type { EntityContext } from './entity-context.js';
import { attributeErrors } from './error-attribution.js';

/**
 * @internal The attempt's batches: the source after `after` (default the durable position), through
 * every stage.
 */
export function openPipeline(
  ctx: EntityContext,
  signal: AbortSignal,
  after: Position = ctx.tracker.position,
): AsyncIterable<Batch<Row>> {
  const { pipeline, entity } = ctx;
  let batches = attributeErrors(
    pipeline.source.read({ after, batchSize: ctx.batchSize, batchBytes: ctx.batchBytes, signal }),
    {
      entity,
      operation: 'read',
      component: pipeline.source.name,
      position: after,
    },
  );
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

/** @internal What the runner remembers of a batch once its rows are handed over. */
export function recordOf(batch: Batch<Row>, sequence: number): BatchRecord {
  return {
    sequence,
    position: batch.position,
    rows: batch.rows.length,
    rowsRead: batch.rowsRead,
    rowsFiltered: batch.rowsFiltered ?? 0,
    rejects: batch.rejects ?? [],
    notes: batch.notes,
  };
}

/** @internal Emit `batch:read` for a batch just issued. */
export function emitRead(ctx: EntityContext, sequence: number, rows: number): void {
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
