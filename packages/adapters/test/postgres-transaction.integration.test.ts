// One PostgreSQL sink transaction on its own, on the real server, with the statements its client sent
// recorded (survivors of the postgres-write mutation target): it ends once, whatever is called after;
// a refused row is named by the COPY line without re-sending rows, found in the latest batches without
// a replay, or (not found) given as a key range; a lost connection is no refused row; a failed
// ROLLBACK or BEGIN; the errors of a rolled-back, aborted or store-less transaction; id-map entries.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { PostgresCheckpointStore, PostgresIdMapStore } from '@ferry/adapters/postgres';
import type { PgPoolClient } from '../src/postgres/pg-driver.js';
import type { PostgresSinkOptions } from '../src/postgres/postgres-sink-options.js';
import { PostgresTransaction } from '../src/postgres/postgres-transaction.js';
import { planTable } from '../src/postgres/table-plan.js';
import { createContactTable, createParents } from './fixtures/contact-table.js';
import { checkpoint, context, openTestDb, type TestDb } from './postgres-test-db.js';

let db: TestDb;
let checkpoints: PostgresCheckpointStore;
let n = 0;
beforeAll(async () => {
  db = await openTestDb();
  await createParents(db);
  checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: db.schema });
  await checkpoints.ensure();
});
/** Clients a failed test left checked out: the pool would wait for them at its end. */
const unreleased = new Set<(destroy: boolean) => void>();
afterEach(() => {
  for (const release of unreleased) release(true); // perhaps mid-COPY: destroyed, not pooled
  unreleased.clear();
});
afterAll(async () => db?.drop());

const contactTable = (): Promise<TargetTable> => createContactTable(db, `tx_${(n += 1)}`);

const count = async (table: TargetTable): Promise<number> =>
  (await db.observer.query(`SELECT count(*)::int AS n FROM "${db.schema}"."${table.table}"`)).rows[0]
    .n as number;

/** Rows 1..45 in five batches of 9; `bad` gives the refused row its value (too long, or parent 99). */
function batches(bad: Record<number, Partial<Row>> = {}, size = 9): Batch<Row>[] {
  const rows = Array.from({ length: 45 }, (_, i) => ({
    id: String(i + 1),
    email: `u${i + 1}@x.io`,
    parent_id: (i % 10) + 1,
    ...bad[i + 1],
  }));
  return Array.from({ length: 45 / size }, (_, b) => ({
    rows: rows.slice(b * size, (b + 1) * size),
    position: { key: [String((b + 1) * size)] },
    rowsRead: size,
  }));
}

const TOO_LONG = { email: 'somebody.with.a.long.name@example.com' };
const NO_PARENT = { parent_id: 99 };

interface Opened {
  readonly tx: PostgresTransaction;
  /** Every `onEnd(committed, broken)` call. */
  readonly ends: [boolean, Error | undefined][];
  /** The text statements sent on the client (COPY data is not a statement). */
  readonly statements: string[];
  /** The backend's process id. */
  readonly pid: number;
  /** How many times the replay was read. */
  readonly replays: () => number;
  /** Terminate the backend just before the next ROLLBACK reaches it. */
  killBeforeRollback(): void;
  /** Called once a statement was handed to the client, before its reply can arrive. */
  sent: (statement: string) => void;
  done(): Promise<void>;
}

/** BEGIN a transaction on a client of its own; `replay` yields `replayed` when given. */
async function open(
  table: TargetTable,
  options: Partial<PostgresSinkOptions> & {
    replayed?: Batch<Row>[];
    signal?: AbortSignal;
    noStore?: boolean;
  } = {},
): Promise<Opened> {
  const real = await db.pool.connect();
  real.on('error', () => undefined); // a terminated backend also reports here
  const pid = (real as unknown as { processID: number }).processID;
  const statements: string[] = [];
  const ends: [boolean, Error | undefined][] = [];
  const release = (destroy: boolean): void =>
    real.release(destroy || ends.some(([, broken]) => broken !== undefined) || undefined);
  unreleased.add(release);
  let kill = false;
  let replays = 0;
  const opened = { sent: (_statement: string): void => undefined };
  const query: (...args: unknown[]) => unknown = real.query.bind(real);
  const client = Object.assign(Object.create(real) as PgPoolClient, {
    query: (...args: unknown[]): unknown => {
      if (typeof args[0] !== 'string') return query(...args);
      statements.push(args[0]);
      if (args[0] === 'ROLLBACK' && kill) {
        kill = false;
        return terminate(pid).then(() => query(...args));
      }
      const reply = query(...args);
      opened.sent(args[0]);
      return reply;
    },
  });
  const { replayed, signal, noStore, ...rest } = options;
  const tx = await PostgresTransaction.begin({
    client,
    plan: planTable(table),
    options: { pool: db.pool, table, ...(noStore === true ? {} : { checkpoints }), ...rest },
    entity: 'Item',
    signal: signal ?? new AbortController().signal,
    replay:
      replayed === undefined
        ? undefined
        : async function* () {
            replays += 1;
            yield* replayed;
          },
    onEnd: (committed, broken) => ends.push([committed, broken]),
  });
  return Object.assign(opened, {
    tx,
    pid,
    ends,
    statements,
    replays: () => replays,
    killBeforeRollback: () => (kill = true),
    done: async () => {
      unreleased.delete(release);
      release(false);
    },
  });
}

/** pg_terminate_backend, then wait until the backend is gone. */
async function terminate(pid: number): Promise<void> {
  await db.observer.query('SELECT pg_terminate_backend($1)', [pid]);
  for (let i = 0; i < 100; i++) {
    const alive = await db.observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    if (alive.rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`backend ${pid} still alive`);
}

async function writeAll(tx: PostgresTransaction, all: Batch<Row>[]): Promise<void> {
  for (const [i, batch] of all.entries()) await tx.write(batch, context(i + 1));
}

const begins = (statements: string[]) => statements.filter((s) => s === 'BEGIN').length;

describe('a PostgreSQL sink transaction ends once', () => {
  it('commit, then rollback twice: one end, committed, and no ROLLBACK sent', async () => {
    const table = await contactTable();
    const opened = await open(table);
    await writeAll(opened.tx, batches());
    await opened.tx.commit(checkpoint(5, 45));
    await opened.tx.rollback();
    await opened.tx.rollback();
    expect(opened.ends).toEqual([[true, undefined]]);
    expect(opened.statements).not.toContain('ROLLBACK');
    expect(await count(table)).toBe(45);
    await opened.done();
  });

  it('rollback twice: one ROLLBACK, one end, not committed and not broken; later calls are refused', async () => {
    const table = await contactTable();
    const controller = new AbortController();
    const opened = await open(table, { signal: controller.signal });
    await writeAll(opened.tx, batches().slice(0, 2));
    await Promise.all([opened.tx.rollback(), opened.tx.rollback()]);
    expect(opened.ends).toEqual([[false, undefined]]);
    expect(opened.statements.filter((s) => s === 'ROLLBACK')).toHaveLength(1);
    const refused = {
      code: 'FERRY_PG_ROLLED_BACK',
      reason: 'unknown',
      entity: 'Item',
      operation: 'write',
      message: `write to ${db.schema}.${table.table} was rolled back`,
    };
    await expect(opened.tx.write(batches()[2]!, context(3))).rejects.toMatchObject(refused);
    await expect(opened.tx.commit(checkpoint(3, 27))).rejects.toMatchObject(refused);
    expect(await count(table)).toBe(0);
    await opened.done();
    // Aborted after its rollback (the transaction no longer listens): refused as aborted.
    const other = await open(table, { signal: controller.signal });
    await other.tx.rollback();
    controller.abort();
    await expect(other.tx.write(batches()[2]!, context(3))).rejects.toMatchObject({
      ...refused,
      reason: 'aborted',
    });
    await other.done();
  });

  it('an aborted signal: calls are refused as aborted; the rollback keeps the connection', async () => {
    const table = await contactTable();
    const controller = new AbortController();
    const opened = await open(table, { signal: controller.signal });
    await opened.tx.write(batches()[0]!, context(1));
    controller.abort();
    const aborted = {
      code: 'FERRY_PG_ROLLED_BACK',
      reason: 'aborted',
      entity: 'Item',
      operation: 'write',
      message: `write to ${db.schema}.${table.table} was aborted: rolled back`,
    };
    await expect(opened.tx.commit(checkpoint(1, 9))).rejects.toMatchObject(aborted);
    await opened.tx.rollback();
    expect(opened.ends).toEqual([[false, undefined]]); // rolled back, not destroyed
    await expect(opened.tx.write(batches()[1]!, context(2))).rejects.toMatchObject(aborted);
    expect(await count(table)).toBe(0);
    await opened.done();
  });

  it('a ROLLBACK that fails (the backend died) ends the transaction broken', async () => {
    const table = await contactTable();
    const opened = await open(table);
    await opened.tx.write(batches()[0]!, context(1));
    opened.killBeforeRollback();
    await opened.tx.rollback();
    expect(opened.ends).toHaveLength(1);
    expect(opened.ends[0]![0]).toBe(false);
    expect(opened.ends[0]![1]).toBeInstanceOf(Error);
    expect(await count(table)).toBe(0);
    await opened.done();
  });

  it('a failed BEGIN (upsert staging of a missing table) throws, rolls back and keeps the connection', async () => {
    const table = { ...(await contactTable()), table: 'missing' };
    const ends: [boolean, Error | undefined][] = [];
    const client = await db.pool.connect();
    const begun = PostgresTransaction.begin({
      client,
      plan: planTable(table),
      options: { pool: db.pool, table, mode: 'upsert', checkpoints },
      entity: 'Item',
      signal: new AbortController().signal,
      onEnd: (committed, broken) => ends.push([committed, broken]),
    });
    await expect(begun).rejects.toMatchObject({ reason: 'not-found', operation: 'begin', entity: 'Item' });
    expect(ends).toEqual([[false, undefined]]);
    // Rolled back: the client is outside any transaction (now() is the transaction's start).
    const fresh = await client.query('SELECT now() = statement_timestamp() AS fresh');
    expect(fresh.rows[0].fresh).toBe(true);
    client.release();
  });

  it('a checkpoint without a checkpoint store is refused, naming the table, and nothing commits', async () => {
    const table = await contactTable();
    const opened = await open(table, { noStore: true });
    await opened.tx.write(batches()[0]!, context(1));
    const commit = opened.tx.commit(checkpoint(1, 9));
    await expect(commit).rejects.toMatchObject({
      code: 'FERRY_PG_NO_CHECKPOINT_STORE',
      reason: 'invalid-config',
      entity: 'Item',
      message: `sink for ${db.schema}.${table.table} got a checkpoint but has no checkpoint store`,
    });
    await opened.tx.rollback();
    expect(await count(table)).toBe(0);
    await opened.done();
  });
});

describe('a refused row', () => {
  it('copy: the COPY line names it, with no try sent; later calls get the same error', async () => {
    const table = await contactTable();
    const opened = await open(table, { replayed: batches({ 27: TOO_LONG }) });
    const failed = writeAll(opened.tx, batches({ 27: TOO_LONG })).then(() =>
      opened.tx.commit(checkpoint(5, 45)),
    );
    const error = await failed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ key: ['27'], attribute: 'email' });
    expect(begins(opened.statements)).toBe(1); // the transaction's own BEGIN: no try
    expect(opened.replays()).toBe(0);
    await expect(opened.tx.commit(checkpoint(5, 45))).rejects.toBe(error);
    expect(opened.ends).toEqual([[false, undefined]]);
    await opened.done();
  });

  it('copy: when the ROLLBACK after it fails, the row is still named and the connection broken', async () => {
    const table = await contactTable();
    const opened = await open(table);
    opened.killBeforeRollback();
    const failed = writeAll(opened.tx, batches({ 27: TOO_LONG })).then(() =>
      opened.tx.commit(checkpoint(5, 45)),
    );
    await expect(failed).rejects.toMatchObject({ key: ['27'] });
    expect(opened.ends).toHaveLength(1);
    expect(opened.ends[0]![1]).toBeInstanceOf(Error);
    await opened.done();
  });

  it('copy, no replay: a foreign key refusing row 40 (last batch) is found among the latest batches', async () => {
    const table = await contactTable();
    const opened = await open(table);
    await writeAll(opened.tx, batches({ 40: NO_PARENT }));
    await expect(opened.tx.commit(checkpoint(5, 45))).rejects.toMatchObject({ key: ['40'] });
    await opened.done();
  });

  it('copy, no replay: row 14 (second batch) is not in memory; the error gives the key range, unbroken', async () => {
    const table = await contactTable();
    const opened = await open(table);
    await writeAll(opened.tx, batches({ 14: NO_PARENT }));
    const error = await opened.tx.commit(checkpoint(5, 45)).then(
      () => undefined,
      (e: unknown) => e as Error & { key?: unknown },
    );
    expect(error?.message).toContain(
      'the failing row is one of the 45 rows of this transaction, keys (id) from (1) to (45)',
    );
    expect(error?.key).toBeUndefined();
    expect(opened.ends).toEqual([[false, undefined]]);
    await opened.done();
  });

  it('copy with a replay keeps no written row: a one-batch transaction refused at commit is found through the replay', async () => {
    const table = await contactTable();
    const all = batches({ 14: NO_PARENT }, 45);
    const opened = await open(table, { replayed: all });
    await writeAll(opened.tx, all);
    await expect(opened.tx.commit(checkpoint(1, 45))).rejects.toMatchObject({ key: ['14'] });
    expect(opened.replays()).toBeGreaterThan(0);
    await opened.done();
  });

  it('insert: an INSERT refused while writing the fifth batch is found in the latest batches, not replayed', async () => {
    const table = await contactTable();
    const all = batches({ 40: NO_PARENT });
    const opened = await open(table, { mode: 'insert', replayed: all });
    await expect(writeAll(opened.tx, all)).rejects.toMatchObject({ key: ['40'], operation: 'write' });
    expect(opened.replays()).toBe(0);
    await opened.done();
  });

  it('insert: a rollback asked for while the refused INSERT runs is not delayed by a search', async () => {
    const table = await contactTable();
    const opened = await open(table, { mode: 'insert' });
    let rolledBack: Promise<void> | undefined;
    opened.sent = (statement) => {
      if (statement.startsWith('INSERT')) rolledBack ??= opened.tx.rollback();
    };
    await expect(opened.tx.write(batches({ 5: NO_PARENT })[0]!, context(1))).rejects.toMatchObject({
      reason: 'constraint',
    });
    await rolledBack;
    expect(opened.statements.filter((s) => s === 'BEGIN' || s === 'ROLLBACK')).toEqual(['BEGIN', 'ROLLBACK']);
    await opened.done();
  });

  it('upsert: rows already in the target are searched through the staging table (not refused as duplicates)', async () => {
    const table = await contactTable();
    const first = await open(table, { mode: 'upsert' });
    await writeAll(first.tx, batches());
    await first.tx.commit(checkpoint(5, 45));
    await first.done();
    const all = batches({ 14: NO_PARENT }, 45);
    const again = await open(table, { mode: 'upsert', replayed: all });
    await writeAll(again.tx, all);
    await expect(again.tx.commit(checkpoint(6, 45))).rejects.toMatchObject({
      key: ['14'],
      reason: 'constraint',
    });
    await again.done();
  });

  it('a connection lost mid-COPY is no refused row: the error names the write and no row', async () => {
    const table = await contactTable();
    const opened = await open(table);
    await writeAll(opened.tx, batches().slice(0, 2));
    await terminate(opened.pid);
    const error = await opened.tx.commit(checkpoint(2, 18)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ reason: 'connection', operation: 'write' });
    expect(error?.message).not.toContain('failing row');
    await opened.tx.rollback();
    expect(opened.ends).toHaveLength(1);
    expect(opened.ends[0]![1]).toBeInstanceOf(Error);
    await opened.done();
  });
});

describe('id-map entries', () => {
  it('commit with the rows, under the id map entity or else the write context entity; empty pairs add none', async () => {
    const ids = new PostgresIdMapStore({ pool: db.pool, schema: db.schema, namespace: 'ids' });
    await ids.ensure();
    // Every row of a batch but the second, whose pairs are empty: 36 pairs per transaction.
    const pairs = (batch: Batch<Row>) =>
      batch.rows[0]!.id === '10'
        ? []
        : batch.rows.map((row) => [String(row.id), `t${String(row.id)}`] as const);
    for (const entity of ['Other', undefined]) {
      const opened = await open(await contactTable(), {
        idMap: { store: ids, ...(entity === undefined ? {} : { entity }), pairs },
      });
      await writeAll(opened.tx, batches());
      await opened.tx.commit(checkpoint(5, 45));
      await opened.done();
    }
    const stored = await db.observer.query(
      `SELECT entity, count(*)::int AS n, count(*) FILTER (WHERE target_key = 't' || source_key)::int AS same
         FROM "${db.schema}".id_map WHERE namespace = 'ids' GROUP BY entity ORDER BY entity`,
    );
    expect(stored.rows).toEqual([
      { entity: 'Item', n: 36, same: 36 },
      { entity: 'Other', n: 36, same: 36 },
    ]);
  });
});
