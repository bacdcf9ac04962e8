// A benchmark-style sanity check, not a timed test: 200k O11-shaped rows through the COPY sink under
// run() (commit every 50 000 rows), compared by count and checksum; it prints Ferry's rows/s beside a raw COPY of the
// same rows in the same run (the baseline), as a ratio.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { run } from '@ferry/core';
import type { Batch, Row, Sink, Source } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import {
  createTable,
  encodeCopyRows,
  planTable,
  PostgresCheckpointStore,
  postgresSink,
} from '@ferry/adapters/postgres';
import { openTestDb } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

const ROWS = 200_000;
const BATCH = 1000;
let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.drop();
});

const table = (name: string): TargetTable => ({
  schema: db.schema,
  table: name,
  key: ['ID'],
  columns: [
    { name: 'ID', type: 'bigint', nullable: false },
    { name: 'NAME', type: 'varchar', length: 100, nullable: false },
    { name: 'AMOUNT', type: 'numeric', precision: 37, scale: 8, nullable: false },
    { name: 'CREATED', type: 'timestamp', nullable: false },
    { name: 'ACTIVE', type: 'boolean', nullable: false },
  ],
});

function makeBatch(start: number): Batch<Row> {
  const rows: Row[] = [];
  for (let i = start; i < start + BATCH; i++) {
    rows.push({
      ID: BigInt(i),
      NAME: `Customer ${i} ünï`,
      AMOUNT: `${i}.12345678`,
      CREATED: '2020-01-01 10:00:00',
      ACTIVE: i % 2 === 0,
    });
  }
  return { rows, position: { key: [String(start + BATCH - 1)] }, rowsRead: BATCH };
}

/** Run the batches through core's runner into a sink with transactions (commit every 50 000 rows). */
async function pump(sink: Sink<Row>): Promise<void> {
  const source: Source<Row> = {
    name: 'volume',
    async *read({ after }) {
      const first = after === null ? 1 : Number((after as { key: string[] }).key[0]) + 1;
      for (let start = first; start <= ROWS; start += BATCH) yield makeBatch(start);
    },
  };
  const result = await run(
    { entities: [{ entity: 'Volume', source, sink }] },
    { runId: `volume-${db.schema}`, batchSize: BATCH, commitEvery: 50_000 },
  );
  expect(result.status).toBe('completed');
}

async function checksum(name: string): Promise<unknown> {
  const result = await db.observer.query(
    `SELECT count(*)::text AS n, sum("ID")::text AS ids, sum("AMOUNT")::text AS amount,
            md5(string_agg("NAME", ',' ORDER BY "ID")) AS names FROM "${db.schema}"."${name}"`,
  );
  return result.rows[0];
}

it('moves 200k rows through the COPY sink with nothing lost or doubled', async () => {
  await createTable(db.pool, table('ferry'));
  await createTable(db.pool, table('baseline'));

  // Baseline: one raw COPY of the same rows, pre-encoding included, no checkpoints.
  const plan = planTable(table('baseline'));
  const client = await db.pool.connect();
  let started = performance.now();
  async function* text() {
    for (let start = 1; start <= ROWS; start += BATCH) {
      const batch = makeBatch(start);
      yield encodeCopyRows(plan, batch.rows, 0, batch.rows.length);
    }
  }
  await pipeline(Readable.from(text()), client.query(copyFrom(`COPY ${plan.qualified} FROM STDIN`)));
  const baselineMs = performance.now() - started;
  client.release();

  started = performance.now();
  const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: `${db.schema}_ferry` });
  await pump(postgresSink({ pool: db.pool, table: table('ferry'), checkpoints }));
  await db.observer.query(`DROP SCHEMA "${db.schema}_ferry" CASCADE`);
  const ferryMs = performance.now() - started;

  const expected = await checksum('baseline');
  expect(await checksum('ferry')).toEqual(expected);
  expect((expected as { n: string }).n).toBe(String(ROWS));
  const rate = (ms: number) => Math.round(ROWS / (ms / 1000));
  console.log(
    `postgres COPY sink under run(): ${ROWS} rows x 5 columns, batch ${BATCH}, commit every 50000: ` +
      `ferry ${rate(ferryMs)} rows/s, raw COPY ${rate(baselineMs)} rows/s, ratio ${(baselineMs / ferryMs).toFixed(2)}`,
  );
});
