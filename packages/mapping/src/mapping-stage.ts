// The mapping as a core Stage: source batches (O11 column names) in, target batches (target column
// names) out, batch by batch. Rejected and filtered rows are counted on the batch; the position passes
// through unchanged, since every row read is either emitted, rejected or filtered.

import { addNotes } from '@ferry/core';
import type { Batch, Row, Stage } from '@ferry/core';
import type { CompiledEntity } from './compiled-types.js';
import type { MappingRuntime } from './mapping-runtime.js';
import { BatchMappingStats } from './mapping-stats.js';
import { createRowMapper } from './row-mapper.js';

/**
 * The mapping stage of one entity (pass 1 by default; `runtime.pass: 2` for the deferred pass that
 * sets cyclic references). The reject threshold is the runner's business: this stage only reports.
 *
 * @example
 * ```ts
 * const pipeline = { entity: 'Sales.Order', source, sink, stages: [mappingStage(compiled.entity('Sales.Order'), { idMap })] };
 * ```
 */
export function mappingStage(entity: CompiledEntity, runtime: MappingRuntime = {}): Stage<Row, Row> {
  // Each batch's counters travel with it as notes (counted once the batch is durable); the run's
  // shared counters still see every event.
  const tally = new BatchMappingStats(runtime.stats);
  const map = createRowMapper(entity, { ...runtime, stats: tally });
  return async function* mapping(input, context): AsyncIterable<Batch<Row>> {
    for await (const batch of input) {
      context.signal.throwIfAborted();
      const mapped = await map(batch.rows);
      const rejects = batch.rejects === undefined ? mapped.rejects : [...batch.rejects, ...mapped.rejects];
      const filtered = (batch.rowsFiltered ?? 0) + mapped.filtered;
      const notes = addNotes(batch.notes, tally.take());
      // A batch's own keys (if any) described the input rows; the mapped rows carry the stage's keys.
      const { keys: _input, ...rest } = batch;
      yield {
        ...rest,
        rows: mapped.rows,
        ...(mapped.keys === undefined ? {} : { keys: mapped.keys }),
        ...(rejects.length === 0 ? {} : { rejects }),
        ...(filtered === 0 ? {} : { rowsFiltered: filtered }),
        ...(notes === undefined ? {} : { notes }),
      };
    }
  };
}
