// findFailingRow on its own, on the real server (the mutation target postgres-write left these
// unchecked): which errors count as a row's, a replay read once per try and released, a replay read
// error (rethrown, the try rolled back), and a refused row in a later batch of a multi-batch replay in
// insert mode, where the INSERT of that batch stops the try before all its rows were sent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Row } from '@ferry/core';
import { findFailingRow, isRowError, rowsInMemory } from '../src/postgres/failing-row.js';
import type { RowsToTry } from '../src/postgres/failing-row.js';
import { planTable } from '../src/postgres/table-plan.js';
import type { PostgresSinkMode } from '../src/postgres/tx-writers.js';
import { openTestDb, type TestDb } from './postgres-test-db.js';

let db: TestDb;
let client: pg.PoolClient;
beforeAll(async () => {
  db = await openTestDb();
  await db.pool.query(
    `CREATE TABLE "${db.schema}".contact (id bigint PRIMARY KEY, email varchar(8) NOT NULL)`,
  );
  client = await db.pool.connect();
});
afterAll(async () => {
  client?.release();
  await db?.drop();
});

const plan = () =>
  planTable({
    schema: db.schema,
    table: 'contact',
    key: ['id'],
    columns: [
      { name: 'id', type: 'bigint', nullable: false },
      { name: 'email', type: 'varchar', length: 250, nullable: false },
    ],
  });

/** Rows 1..count in batches of `size`; row `bad` holds an email too long for varchar(8). */
const batches = (count: number, size: number, bad: number): Row[][] =>
  Array.from({ length: Math.ceil(count / size) }, (_, b) =>
    Array.from({ length: Math.min(size, count - b * size) }, (_, i) => {
      const id = b * size + i + 1;
      return { id: String(id), email: id === bad ? 'much-too-long@x.io' : `e${id}` };
    }),
  );

/** A replay of `parts` that records how many iterations were opened and how many released. */
function recorded(parts: Row[][], readError?: { at: number; error: Error }) {
  const seen = { opened: 0, released: 0 };
  const rows: RowsToTry = {
    rows: parts.reduce((sum, part) => sum + part.length, 0),
    replay: () => ({
      [Symbol.asyncIterator]: () => {
        seen.opened += 1;
        let i = 0;
        return {
          next: () => {
            if (readError !== undefined && i === readError.at) return Promise.reject(readError.error);
            return Promise.resolve(
              i < parts.length ? { done: false, value: parts[i++]! } : { done: true, value: undefined },
            );
          },
          return: () => {
            seen.released += 1;
            return Promise.resolve({ done: true, value: undefined });
          },
        };
      },
    }),
  };
  return { rows, seen };
}

/** Whether the client is outside any transaction (now() is the transaction's start). */
async function outsideTransaction(): Promise<boolean> {
  const result = await client.query('SELECT now() = statement_timestamp() AS fresh');
  return result.rows[0].fresh as boolean;
}

describe('findFailingRow', () => {
  it('isRowError: SQLSTATE classes 22 and 23 only, five characters', () => {
    const row = (code: unknown) => isRowError({ code });
    expect([row('22001'), row('23503'), row('23505'), row('22P02')]).toEqual([true, true, true, true]);
    expect([row('40P01'), row('08006'), row('57014'), row('42P01'), row('22'), row('230000')]).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([isRowError(new Error('connection lost')), isRowError(undefined), row(22001)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('rowsInMemory replays its rows once per iteration, then ends', async () => {
    const rows = [{ id: '1' }, { id: '2' }];
    const memory = rowsInMemory(rows);
    for (let pass = 0; pass < 2; pass++) {
      const iterator = memory.replay()[Symbol.asyncIterator]();
      expect(await iterator.next()).toEqual({ done: false, value: rows });
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    }
    expect(memory.rows).toBe(2);
  });

  for (const mode of ['copy', 'upsert', 'insert'] as const satisfies readonly PostgresSinkMode[]) {
    it(`${mode}: the refused row of a 5-batch replay, each replay released, nothing kept`, async () => {
      const { rows, seen } = recorded(batches(50, 10, 23));
      const found = await findFailingRow(client, plan(), mode, 4, rows);
      expect(found?.index).toBe(22);
      expect(found?.row).toEqual({ id: '23', email: 'much-too-long@x.io' });
      expect((found?.error as { code?: string }).code).toBe('22001');
      expect(seen.opened).toBeGreaterThan(1);
      expect(seen.released).toBe(seen.opened);
      expect(await outsideTransaction()).toBe(true);
      expect((await client.query(`SELECT count(*)::int AS n FROM "${db.schema}".contact`)).rows[0].n).toBe(0);
    });
  }

  it('a replay read error is rethrown, the try rolled back and the replay released', async () => {
    const failure = new Error('source gone');
    const { rows, seen } = recorded(batches(30, 10, 25), { at: 1, error: failure });
    await expect(findFailingRow(client, plan(), 'copy', 4, rows)).rejects.toBe(failure);
    expect(seen.released).toBe(seen.opened);
    expect(await outsideTransaction()).toBe(true);
  });

  it('a replay that changes between tries finds nothing rather than a wrong row', async () => {
    const changing = (first: Row[][], later: Row[][]): RowsToTry => {
      let calls = 0;
      return { rows: 20, replay: () => recorded(calls++ === 0 ? first : later).rows.replay() };
    };
    // Row 3 refused on the first read only: the INSERT of the first batch stopped that try at 5 rows.
    const refusedOnce = changing(batches(20, 5, 3), batches(20, 5, 0));
    expect(await findFailingRow(client, plan(), 'insert', 4, refusedOnce)).toBeUndefined();
    // Row 15 refused, then the source holds 5 rows only: a shorter prefix that passes proves nothing.
    const shrunk = changing(batches(20, 5, 15), batches(5, 5, 0));
    expect(await findFailingRow(client, plan(), 'copy', 4, shrunk)).toBeUndefined();
    expect(await outsideTransaction()).toBe(true);
  });

  it('rows that all pass, or a replay that yields fewer rows than announced, find nothing', async () => {
    expect(await findFailingRow(client, plan(), 'copy', 4, recorded(batches(12, 5, 0)).rows)).toBeUndefined();
    const short = recorded(batches(10, 5, 0)).rows;
    expect(await findFailingRow(client, plan(), 'copy', 4, { ...short, rows: 15 })).toBeUndefined();
    expect(await outsideTransaction()).toBe(true);
  });
});
