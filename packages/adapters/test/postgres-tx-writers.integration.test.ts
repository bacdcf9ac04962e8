// The transaction writers on their own, on the real server (survivors of the postgres-write mutation
// target): abort before begin resolves (a BEGIN or staging statement failed), an INSERT after abort is
// refused rather than run outside the transaction, and INSERTs stay under PostgreSQL's 65535
// parameters per statement when pieceRows would allow more, and a batch of a multiple of pieceRows rows
// sends no empty INSERT after its last statement.

import { describe, expect, it } from 'vitest';
import type { Row } from '@ferry/core';
import { planTable } from '../src/postgres/table-plan.js';
import { createTxWriter } from '../src/postgres/tx-writers.js';
import { sharedTestClient } from './postgres-test-db.js';

const shared = sharedTestClient();
let n = 0;

/** A fresh three-column table and its plan. */
async function table() {
  const name = `w_${(n += 1)}`;
  await shared.db.pool.query(
    `CREATE TABLE "${shared.db.schema}"."${name}" (id bigint PRIMARY KEY, a text, b text)`,
  );
  const plan = planTable({
    schema: shared.db.schema,
    table: name,
    key: ['id'],
    columns: [
      { name: 'id', type: 'bigint', nullable: false },
      { name: 'a', type: 'text', nullable: true },
      { name: 'b', type: 'text', nullable: true },
    ],
  });
  const count = async (): Promise<number> =>
    (await shared.db.pool.query(`SELECT count(*)::int AS n FROM "${shared.db.schema}"."${name}"`)).rows[0]
      .n as number;
  return { plan, count };
}

const rows = (from: number, count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({ id: String(from + i), a: `a${from + i}`, b: null }));

describe('transaction writers', () => {
  for (const mode of ['copy', 'upsert', 'insert'] as const) {
    it(`${mode}: abort before begin resolves`, async () => {
      const { plan } = await table();
      await expect(createTxWriter(mode, plan, 10).abort()).resolves.toBeUndefined();
    });
  }

  it('insert: a write after abort is refused and nothing of it runs', async () => {
    const { plan, count } = await table();
    const writer = createTxWriter('insert', plan, 10);
    await shared.client.query('BEGIN');
    await writer.begin(shared.client, () => undefined);
    await writer.write(rows(1, 3));
    await writer.abort();
    await expect(writer.write(rows(4, 2))).rejects.toThrow('INSERT was aborted');
    const inTransaction = await shared.client.query(
      `SELECT count(*)::int AS n FROM "${plan.target.schema}"."${plan.target.table}"`,
    );
    expect(inTransaction.rows[0].n).toBe(3); // the refused rows were not sent
    await shared.client.query('ROLLBACK');
    expect(await count()).toBe(0);
  });

  it('insert: 30 000 rows of 3 columns with pieceRows 100 000 go in statements of at most 65535 parameters', async () => {
    const { plan, count } = await table();
    const writer = createTxWriter('insert', plan, 100_000);
    await shared.client.query('BEGIN');
    await writer.begin(shared.client, () => undefined);
    await writer.write(rows(1, 30_000));
    await writer.finish();
    await shared.client.query('COMMIT');
    expect(await count()).toBe(30_000);
  }, 60_000);

  it('insert: a batch of a multiple of pieceRows rows goes in whole statements, with no empty INSERT after', async () => {
    const { plan, count } = await table();
    const writer = createTxWriter('insert', plan, 2);
    await shared.client.query('BEGIN');
    await writer.begin(shared.client, () => undefined);
    await writer.write(rows(1, 4));
    await writer.finish();
    await shared.client.query('COMMIT');
    expect(await count()).toBe(4);
  });
});
