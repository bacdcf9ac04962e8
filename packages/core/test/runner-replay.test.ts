// The replay a transaction gets (TransactionContext.replay): the transaction's rows read again from
// the position it started after, through the stages, so a sink can find a refused row that is no
// longer in memory. Read at the third transaction's commit, it yields that transaction's rows first.
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import type { Batch, Checkpoint, Row, Sink, SinkTransaction, TransactionContext } from '@ferry/core';
import { FakeSource, syntheticRow } from '@ferry/core/testing';

/** A sink whose transactions keep their rows' ids and, at commit, what the replay yields. */
function replayingSink(checkpoints: MemoryCheckpointStore) {
  const written: string[][] = [];
  const replayed: string[][] = [];
  const sink: Sink = {
    name: 'replaying',
    write: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
    transactions: {
      checkpoints,
      begin: (context: TransactionContext): Promise<SinkTransaction> => {
        const ids: string[] = [];
        return Promise.resolve({
          write: (batch: Batch<Row>) => {
            ids.push(...batch.rows.map((r) => String(r.id)));
            return Promise.resolve();
          },
          commit: async (checkpoint: Checkpoint) => {
            const again: string[] = [];
            for await (const batch of context.replay!()) {
              again.push(...batch.rows.map((r) => String(r.id)));
              if (again.length >= ids.length) break;
            }
            written.push(ids);
            replayed.push(again);
            await checkpoints.save(checkpoint);
          },
          rollback: () => Promise.resolve(),
        });
      },
    },
  };
  return { sink, written, replayed };
}

describe('runner: a transaction replay', () => {
  it('re-reads the transaction rows from its start, through the stages, without counting them', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const { sink, written, replayed } = replayingSink(checkpoints);
    const odd = (input: AsyncIterable<Batch<Row>>) =>
      (async function* () {
        for await (const batch of input)
          yield { ...batch, rows: batch.rows.filter((r) => Number(r.id) % 2 === 1) };
      })();
    const result = await run(
      { entities: [{ entity: 'E', source: FakeSource.synthetic(100), sink, stages: [odd] }] },
      { runId: 'replay', batchSize: 7, commitEvery: 30 },
    );
    expect(result.status).toBe('completed');
    expect(written.map((ids) => ids.length)).toEqual([18, 17, 15]);
    expect(replayed).toEqual(written);
    expect(written.flat()).toEqual(
      Array.from({ length: 100 }, (_, i) => syntheticRow(i))
        .filter((r) => Number(r.id) % 2 === 1)
        .map((r) => String(r.id)),
    );
    expect(result.entities[0]!.rowsRead).toBe(100);
  });
});
