// The PostgreSQL sink against the real server: group commit (a write resolves only once its rows are
// committed and visible to another session), idempotent upsert, rollback on close, exactly-once rows +
// checkpoint under a killed connection, insert mode, sequence reset.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Checkpoint, Row } from '@ferry/core';
import { createTable, PostgresCheckpointStore, postgresSink } from '@ferry/adapters/postgres';
import { context, openTestDb, simpleTable } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.drop();
});

function batch(from: number, count: number, name = 'n'): Batch<Row> {
  const rows: Row[] = [];
  for (let i = from; i < from + count; i++) rows.push({ Id: BigInt(i), Name: `${name}${i}` });
  return { rows, position: { key: [String(from + count - 1)] }, rowsRead: count };
}

function checkpoint(sequence: number, last: number): Checkpoint {
  return {
    runId: 'run-1',
    entity: 'Item',
    position: { key: [String(last)] },
    sequence,
    status: 'running',
    rowsRead: last,
    rowsWritten: last,
    rowsRejected: 0,
    rowsFiltered: 0,
    updatedAt: new Date().toISOString(),
  };
}

async function count(table: string): Promise<number> {
  const result = await db.observer.query(`SELECT count(*)::int AS n FROM "${db.schema}"."${table}"`);
  return result.rows[0].n as number;
}

/** Whether a promise settled within a short while. */
async function settledSoon(promise: Promise<unknown>, ms = 150): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

describe('group commit', () => {
  it('resolves writes only when their transaction committed, and not before', async () => {
    const table = simpleTable(db.schema, 'group');
    await createTable(db.pool, table);
    const sink = postgresSink({ pool: db.pool, table, commitEvery: 3000, lingerMs: 60_000 });
    const first = sink.write(batch(1, 1000), context(1));
    const second = sink.write(batch(1001, 1000), context(2));
    expect(await settledSoon(Promise.race([first, second]))).toBe(false);
    expect(await count('group')).toBe(0); // another session sees nothing yet
    const third = sink.write(batch(2001, 1000), context(3));
    await Promise.all([first, second, third]);
    expect(await count('group')).toBe(3000); // ... and everything once the writes resolved
    await sink.close('completed');
  });

  it('commits a short tail when writes pause (linger) and on close', async () => {
    const table = simpleTable(db.schema, 'linger');
    await createTable(db.pool, table);
    const sink = postgresSink({ pool: db.pool, table, commitEvery: 50_000, lingerMs: 5 });
    await sink.write(batch(1, 10), context(1));
    expect(await count('linger')).toBe(10);
    await sink.close('completed');
  });
});

describe('upsert mode', () => {
  it('writing the same batch twice leaves no duplicates and keeps the last values', async () => {
    const table = simpleTable(db.schema, 'upsert');
    await createTable(db.pool, table);
    const sink = postgresSink({
      pool: db.pool,
      table,
      mode: 'upsert',
      commitEvery: 10_000,
      lingerMs: 60_000,
    });
    // Twice within one transaction, then again in a later transaction with new values.
    const a = sink.write(batch(1, 500), context(1));
    const b = sink.write(batch(1, 500), context(2));
    await sink.close('completed');
    await Promise.all([a, b]);
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
    'close(%s) leaves nothing of the pending transaction',
    async (outcome) => {
      const table = simpleTable(db.schema, `rollback_${outcome}`);
      await createTable(db.pool, table);
      const sink = postgresSink({ pool: db.pool, table, commitEvery: 50_000, lingerMs: 60_000 });
      const writes = [sink.write(batch(1, 1000), context(1)), sink.write(batch(1001, 1000), context(2))];
      for (const write of writes) write.catch(() => undefined); // handled before it rejects
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sink.close(outcome);
      for (const write of writes) await expect(write).rejects.toMatchObject({ code: 'FERRY_PG_ROLLED_BACK' });
      expect(await count(`rollback_${outcome}`)).toBe(0);
      expect(db.pool.totalCount - db.pool.idleCount).toBe(0); // the client went back to the pool
    },
  );

  it('aborting the write signal rolls back', async () => {
    const table = simpleTable(db.schema, 'signal');
    await createTable(db.pool, table);
    const sink = postgresSink({ pool: db.pool, table, commitEvery: 50_000, lingerMs: 60_000 });
    const controller = new AbortController();
    const write = sink.write(batch(1, 1000), context(1, controller.signal));
    write.catch(() => undefined); // handled before it rejects
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(write).rejects.toMatchObject({ reason: 'aborted' });
    await sink.close('aborted');
    expect(await count('signal')).toBe(0);
  });
});

describe('exactly-once: rows and checkpoint in one transaction', () => {
  it('a connection killed mid-transaction loses both rows and checkpoint; a resumed write commits both', async () => {
    const table = simpleTable(db.schema, 'exactly');
    await createTable(db.pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
    const sink = postgresSink({ pool: db.pool, table, checkpoints, commitEvery: 1000, lingerMs: 60_000 });
    await sink.open!({ entity: 'Item', runId: 'run-1', signal: new AbortController().signal });
    await sink.writeWithCheckpoint!(batch(1, 1000), checkpoint(1, 1000), context(1));
    expect(await count('exactly')).toBe(1000);
    expect((await checkpoints.load('run-1', 'Item'))?.sequence).toBe(1);

    // Half a transaction: 500 rows in the open COPY, the checkpoint waiting for the commit.
    const pending = sink.writeWithCheckpoint!(batch(1001, 500), checkpoint(2, 1500), context(2));
    const outcome = pending.catch((error: unknown) => error); // handled before it rejects
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killed = await db.observer.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query LIKE 'COPY "${db.schema}".%'`,
    );
    expect(killed.rows).toHaveLength(1);
    expect(await outcome).toMatchObject({ reason: 'connection', retryable: true });
    expect(await count('exactly')).toBe(1000);
    expect((await checkpoints.load('run-1', 'Item'))?.sequence).toBe(1);

    // Later writes on the failed sink are refused until it is opened again (resume).
    await expect(
      sink.writeWithCheckpoint!(batch(1501, 10), checkpoint(3, 1510), context(3)),
    ).rejects.toThrow();
    await sink.open!({ entity: 'Item', runId: 'run-1', signal: new AbortController().signal });
    await sink.writeWithCheckpoint!(batch(1001, 1000), checkpoint(2, 2000), context(2));
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
