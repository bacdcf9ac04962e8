// The runner's row accounting, checked against numbers computed here from the source ids (not from the
// runner's own output): read = written + rejected + filtered, in the result, in the saved checkpoint
// and across a resume, for a plain sink and for a sink that commits the checkpoint with the rows.

import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, MemoryRejectSink, filterRows, run } from '@ferry/core';
import type { Row, RunEvent, Sink } from '@ferry/core';
import { FakeSource, MemoryTarget, RecordingSink, TransactionSink } from '@ferry/core/testing';
import { rejectIds } from './fixtures/reject-stage.js';

const ROWS = 100;
/** Ids 1..100: multiples of 5 are filtered, multiples of 7 (not of 5) rejected. */
const filtered = (id: number): boolean => id % 5 === 0;
const rejected = (id: number): boolean => id % 7 === 0 && !filtered(id);
const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
const expected = {
  rowsRead: ROWS,
  rowsFiltered: ids.filter(filtered).length, // 20
  rowsRejected: ids.filter(rejected).length, // 12 (7, 14, ... without 35 and 70)
  rowsWritten: ids.filter((id) => !filtered(id) && !rejected(id)).length, // 68
};

const rejectSevens = rejectIds(rejected, 'multiple of 7');
const stages = [filterRows((row: Row) => !filtered(Number(row.id))), rejectSevens];

describe('runner: read = written + rejected + filtered', () => {
  for (const kind of ['write', 'transactions'] as const) {
    it(`counts every row once in the result and the checkpoint (${kind})`, async () => {
      const checkpoints = new MemoryCheckpointStore();
      const target = new MemoryTarget();
      const sink: Sink =
        kind === 'write' ? new RecordingSink({ target }) : new TransactionSink({ target, checkpoints });
      const rejects = new MemoryRejectSink();
      const result = await run(
        { entities: [{ entity: 'E', source: FakeSource.synthetic(ROWS), sink, stages }] },
        { runId: `counts-${kind}`, checkpoints, batchSize: 9, commitEvery: 20, rejects },
      );
      expect(result.status).toBe('completed');
      expect(result.entities[0]).toMatchObject(expected);
      expect(await checkpoints.load(`counts-${kind}`, 'E')).toMatchObject({
        status: 'completed',
        ...expected,
      });
      expect(rejects.records.map((r) => Number(r.key[0]))).toEqual(ids.filter(rejected));
      expect(target.rows.map((row) => Number(row.id))).toEqual(
        ids.filter((id) => !filtered(id) && !rejected(id)),
      );
    });
  }

  it('keeps the counts of the batches before a failure when the run resumes', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const plan = (source: FakeSource) => ({
      entities: [{ entity: 'E', source, sink: new RecordingSink(), stages }],
    });
    const failing = FakeSource.synthetic(ROWS, {
      failAt: { batch: 5, error: () => new Error('source went away') },
    });
    const options = {
      runId: 'counts-resume',
      checkpoints,
      batchSize: 10,
      maxInFlight: 1,
      retry: { retries: 0 },
    };
    const first = await run(plan(failing), options);
    expect(first.status).toBe('failed');
    const second = await run(plan(FakeSource.synthetic(ROWS)), options);
    expect(second.status).toBe('completed');
    expect(await checkpoints.load('counts-resume', 'E')).toMatchObject({ status: 'completed', ...expected });
  });

  it('reports in each batch:read event the rows read so far, durable or not', async () => {
    const events: RunEvent[] = [];
    await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(ROWS), sink: new RecordingSink(), stages }] },
      {
        runId: 'counts-read',
        checkpoints: new MemoryCheckpointStore(),
        batchSize: 9,
        maxInFlight: 4,
        onEvent: (event) => events.push(event),
      },
    );
    const read = events.flatMap((e) => (e.type === 'batch:read' ? [e.rowsRead] : []));
    // Batches of 9 rows: 9, 18, ..., 99, then the last row.
    expect(read).toEqual([...Array.from({ length: 11 }, (_, i) => 9 * (i + 1)), ROWS]);
  });

  it('a fresh run failing before any batch is durable still saves a running checkpoint at sequence 0', async () => {
    // So `status` shows the entity as started (interrupted), not as never planned.
    const checkpoints = new MemoryCheckpointStore();
    const source = FakeSource.synthetic(ROWS, { failAt: { batch: 0, error: () => new Error('gone') } });
    const result = await run(
      { entities: [{ entity: 'E', source, sink: new RecordingSink(), stages }] },
      { runId: 'counts-first', checkpoints, batchSize: 10, retry: { retries: 0 } },
    );
    expect(result.status).toBe('failed');
    expect(await checkpoints.load('counts-first', 'E')).toMatchObject({
      status: 'running',
      sequence: 0,
      position: null,
      rowsRead: 0,
      rowsWritten: 0,
    });
  });
});
