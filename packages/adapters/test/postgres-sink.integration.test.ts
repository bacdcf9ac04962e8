// The PostgreSQL sink against the real server: transactions (rows visible to another session only
// after the commit), plain writes, idempotent upsert, rollback on close and abort, exactly-once rows +
// checkpoint under a killed connection, insert mode, sequence reset; open() creates Ferry's tables, a
// second transaction, an aborted write and an unreachable target are refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row, Sink, SinkTransactions } from '@ferry/core';
import pg from 'pg';
import {
  createTable,
  PostgresCheckpointStore,
  PostgresIdMapStore,
  postgresSink,
} from '@ferry/adapters/postgres';
import { batch, checkpoint, context, openTestDb, PG_URL, simpleTable } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.drop();
});

async function count(table: string): Promise<number> {
  const result = await db.observer.query(`SELECT count(*)::int AS n FROM "${db.schema}"."${table}"`);
  return result.rows[0].n as number;
}

/** The sink's transactions (it was built with a checkpoint store). */
function transactionsOf(sink: Sink<Row>): SinkTransactions<Row> {
  expect(sink.transactions).toBeDefined();
  return sink.transactions!;
}

describe('transactions', () => {
  it('rows written into an open transaction are invisible to another session until the commit', async () => {
    const table = simpleTable(db.schema, 'group');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const sink = postgresSink({ pool: db.pool, table, checkpoints });
    const tx = await transactionsOf(sink).begin(context());
    await tx.write(batch(1, 1000), context(1));
    await tx.write(batch(1001, 1000), context(2));
    expect(await count('group')).toBe(0); // another session sees nothing yet
    await tx.commit(checkpoint(2, 2000));
    expect(await count('group')).toBe(2000); // ... and everything once the commit resolved
    expect((await checkpoints.load('run-1', 'Item'))?.sequence).toBe(2);
    await sink.close('completed');
  });

  it('without a checkpoint store, write commits each batch on its own and there are no transactions', async () => {
    const table = simpleTable(db.schema, 'plain');
    await createTable(db.pool, table);
    const sink = postgresSink({ pool: db.pool, table });
    expect(sink.transactions).toBeUndefined();
    await sink.write(batch(1, 10), context(1));
    expect(await count('plain')).toBe(10);
    await sink.close('completed');
  });
});

describe('upsert mode', () => {
  it('writing the same batch twice leaves no duplicates and keeps the last values', async () => {
    const table = simpleTable(db.schema, 'upsert');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const sink = postgresSink({ pool: db.pool, table, mode: 'upsert', checkpoints });
    // Twice within one transaction, then again in a later transaction with new values.
    const tx = await transactionsOf(sink).begin(context());
    await tx.write(batch(1, 500), context(1));
    await tx.write(batch(1, 500), context(2));
    await tx.commit(checkpoint(2, 500));
    await sink.close('completed');
    const again = postgresSink({ pool: db.pool, table, mode: 'upsert' });
    await again.write(batch(251, 500, 'v2-'), context(3));
    await again.close('completed');
    expect(await count('upsert')).toBe(750);
    const names = await db.observer.query(
      `SELECT count(*) FILTER (WHERE "Name" LIKE 'v2-%')::int AS v2 FROM "${db.schema}".upsert`,
    );
    expect(names.rows[0].v2).toBe(500);
  });
});

describe('rollback', () => {
  it.each(['aborted', 'failed'] as const)(
    'close(%s) leaves nothing of an open transaction and returns the client',
    async (outcome) => {
      const table = simpleTable(db.schema, `rollback_${outcome}`);
      await createTable(db.pool, table);
      const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
      const sink = postgresSink({ pool: db.pool, table, checkpoints });
      const tx = await transactionsOf(sink).begin(context());
      await tx.write(batch(1, 1000), context(1));
      await sink.close(outcome);
      await expect(tx.commit(checkpoint(1, 1000))).rejects.toMatchObject({ code: 'FERRY_PG_ROLLED_BACK' });
      expect(await count(`rollback_${outcome}`)).toBe(0);
      expect(db.pool.totalCount - db.pool.idleCount).toBe(0); // the client went back to the pool
    },
  );

  it('aborting the signal rolls the open transaction back', async () => {
    const table = simpleTable(db.schema, 'signal');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const sink = postgresSink({ pool: db.pool, table, checkpoints });
    const controller = new AbortController();
    const tx = await transactionsOf(sink).begin(context(1, controller.signal));
    await tx.write(batch(1, 1000), context(1, controller.signal));
    controller.abort();
    await expect(tx.commit(checkpoint(1, 1000))).rejects.toMatchObject({ reason: 'aborted' });
    await sink.close('aborted');
    expect(await count('signal')).toBe(0);
  });
});

describe('exactly-once: rows and checkpoint in one transaction', () => {
  it('a connection killed mid-transaction loses both rows and checkpoint; a new transaction commits both', async () => {
    const table = simpleTable(db.schema, 'exactly');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const sink = postgresSink({ pool: db.pool, table, checkpoints });
    const transactions = transactionsOf(sink);
    await checkpoints.delete('run-1'); // earlier cases saved checkpoints of the same run and entity
    await sink.open!({ entity: 'Item', runId: 'run-1', signal: new AbortController().signal });
    const first = await transactions.begin(context());
    await first.write(batch(1, 1000), context(1));
    await first.commit(checkpoint(1, 1000));
    expect(await count('exactly')).toBe(1000);

    // Half a transaction: 500 rows in the open COPY, the checkpoint waiting for the commit.
    const second = await transactions.begin(context());
    await second.write(batch(1001, 500), context(2));
    const killed = await db.observer.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query LIKE 'COPY "${db.schema}"."exactly"%'`,
    );
    expect(killed.rows).toHaveLength(1);
    await expect(second.commit(checkpoint(2, 1500))).rejects.toMatchObject({
      reason: 'connection',
      retryable: true,
    });
    await second.rollback(); // what the runner does after a failed commit
    expect(await count('exactly')).toBe(1000);
    expect((await checkpoints.load('run-1', 'Item'))?.sequence).toBe(1);

    // The broken client was destroyed; the next transaction gets a new one.
    const third = await transactions.begin(context());
    await third.write(batch(1001, 1000), context(2));
    await third.commit(checkpoint(2, 2000));
    await sink.close('completed');
    expect(await count('exactly')).toBe(2000);
    expect((await checkpoints.load('run-1', 'Item'))?.position).toEqual({ key: ['2000'] });
  });
});

describe('insert mode and sequences', () => {
  it('loads preserved ids into a GENERATED ALWAYS identity and moves the sequence past them', async () => {
    await db.pool.query(
      `CREATE TABLE "${db.schema}".ident ("Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "Name" text NOT NULL)`,
    );
    const table = simpleTable(db.schema, 'ident');
    for (const mode of ['insert', 'copy', 'upsert'] as const) {
      const sink = postgresSink({ pool: db.pool, table, mode, pieceRows: 300 });
      const from = { insert: 1, copy: 5001, upsert: 10_001 }[mode];
      await sink.write(batch(from, 5000), context(1));
      await sink.close('completed');
    }
    expect(await count('ident')).toBe(15_000);
    const next = await db.pool.query(
      `INSERT INTO "${db.schema}".ident ("Name") VALUES ('app') RETURNING "Id"::text`,
    );
    expect(next.rows[0].Id).toBe('15001');
  });
});

describe('guards (postgres-sink mutants)', () => {
  it("open() creates Ferry's checkpoint and id-map tables before any write", async () => {
    const schema = `${db.schema}_open`;
    const table = simpleTable(db.schema, 'opened');
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema });
    const ids = new PostgresIdMapStore({ pool: db.pool, schema, namespace: 'run-1' });
    const sink = postgresSink({ pool: db.pool, table, checkpoints, idMap: { store: ids, pairs: () => [] } });
    try {
      await sink.open!({ entity: 'Item', runId: 'run-1', signal: new AbortController().signal });
      const tables = await db.observer.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name as string)).toEqual(['checkpoints', 'id_map']);
      await sink.close('aborted');
    } finally {
      await db.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('a second transaction while one is open is refused, naming the sink', async () => {
    const table = simpleTable(db.schema, 'twice');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const sink = postgresSink({ pool: db.pool, table, checkpoints });
    const first = await transactionsOf(sink).begin(context());
    await expect(transactionsOf(sink).begin(context())).rejects.toMatchObject({
      code: 'FERRY_PG_TX_OPEN',
      reason: 'invalid-config',
      entity: 'Item',
      operation: 'begin',
      message: `sink postgres:${db.schema}.twice: a transaction is already open`,
    });
    await first.write(batch(1, 10), context(1));
    await first.commit(checkpoint(1, 10)); // the first one is unharmed
    await sink.close('completed');
    expect(await count('twice')).toBe(10);
  });

  it('a write with an aborted signal is refused before it takes a connection', async () => {
    const table = simpleTable(db.schema, 'aborted_write');
    await createTable(db.pool, table);
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    try {
      const sink = postgresSink({ pool, table });
      const controller = new AbortController();
      controller.abort();
      await expect(sink.write(batch(1, 10), context(1, controller.signal))).rejects.toMatchObject({
        code: 'FERRY_PG_ROLLED_BACK',
        reason: 'aborted',
        entity: 'Item',
        operation: 'write',
        message: `write to ${db.schema}.aborted_write was aborted: rolled back`,
      });
      expect(pool.totalCount).toBe(0);
      await sink.close('aborted');
    } finally {
      await pool.end();
    }
    expect(await count('aborted_write')).toBe(0);
  });

  it('a target that refuses connections fails the write as a connection error during connect', async () => {
    // Port 1 on this machine: nothing listens there, so the connection is refused at once.
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', max: 1 });
    try {
      const sink = postgresSink({ pool, table: simpleTable(db.schema, 'unreachable') });
      await expect(sink.write(batch(1, 10), context(1))).rejects.toMatchObject({
        code: 'FERRY_PG_ERROR',
        reason: 'connection',
        entity: 'Item',
        operation: 'connect',
        message: expect.stringContaining(`on ${db.schema}.unreachable during connect`) as unknown,
      });
      await sink.close('failed');
    } finally {
      await pool.end();
    }
  });
});
