// The checkpoint and id-map stores in their own schema on the real server, and the deferred update
// pass for self references.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCheckpointNewer } from '@ferry/core';
import type { Checkpoint } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import {
  createTable,
  PostgresCheckpointStore,
  PostgresIdMapStore,
  postgresSink,
  postgresUpdateSink,
} from '@ferry/adapters/postgres';
import { context, openTestDb } from './postgres-test-db.js';
import type { TestDb } from './postgres-test-db.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.observer.query(`DROP SCHEMA IF EXISTS "${db.schema}_ferry" CASCADE`);
  await db.drop();
});

function cp(sequence: number, status: Checkpoint['status'] = 'running', entity = 'Order'): Checkpoint {
  return {
    runId: 'run-a',
    entity,
    position: { key: ['9007199254740993'], note: 'ünï 😀' },
    sequence,
    status,
    rowsRead: sequence * 10,
    rowsWritten: sequence * 10,
    rowsRejected: 1,
    rowsFiltered: 2,
    updatedAt: `2025-01-0${sequence}T00:00:00.000Z`,
  };
}

describe('PostgresCheckpointStore', () => {
  it('keeps notes, also in a checkpoints table made before notes existed (issue 14, case 5)', async () => {
    const schema = `${db.schema}_old`;
    // The table as earlier versions made it: no notes column.
    await db.pool.query(`CREATE SCHEMA "${schema}"`);
    await db.pool.query(
      `CREATE TABLE "${schema}".checkpoints (run_id text NOT NULL, entity text NOT NULL, position text NOT NULL, ` +
        `sequence bigint NOT NULL, status text NOT NULL, rows_read bigint NOT NULL, rows_written bigint NOT NULL, ` +
        `rows_rejected bigint NOT NULL, rows_filtered bigint NOT NULL, updated_at text NOT NULL, ` +
        `PRIMARY KEY (run_id, entity))`,
    );
    try {
      const store = new PostgresCheckpointStore({ pool: db.pool, schema });
      const notes = { 'StatusId deleted-static-record': 3, 'Owner unmatched-user': 1 };
      await store.save({ ...cp(1), notes });
      expect((await store.load('run-a', 'Order'))?.notes).toEqual(notes);
      await store.save(cp(2));
      expect(await store.load('run-a', 'Order')).not.toHaveProperty('notes');
    } finally {
      await db.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  it('creates its schema on first use, saves monotonically and round-trips exactly', async () => {
    const store = new PostgresCheckpointStore({ pool: db.pool, schema: `${db.schema}_ferry` });
    expect(await store.load('run-a', 'Order')).toBeUndefined();
    // Concurrent first uses must not collide while creating the schema.
    await Promise.all([
      store.save(cp(2)),
      new PostgresCheckpointStore({ pool: db.pool, schema: `${db.schema}_ferry` }).list('x'),
    ]);
    await store.save(cp(1)); // older: ignored
    expect(await store.load('run-a', 'Order')).toEqual(cp(2));
    await store.save(cp(2, 'completed')); // same sequence, completed over running: taken
    await store.save(cp(2, 'running')); // and never back
    expect((await store.load('run-a', 'Order'))?.status).toBe('completed');
    // The SQL rule agrees with core's isCheckpointNewer on every pair.
    for (const [a, b] of [
      [cp(3), cp(4)],
      [cp(4), cp(3)],
      [cp(3, 'completed'), cp(3)],
      [cp(3), cp(3, 'completed')],
    ] as const) {
      const probe = new PostgresCheckpointStore({ pool: db.pool, schema: `${db.schema}_ferry` });
      await probe.delete('run-a');
      await probe.save(a);
      await probe.save(b);
      expect(await probe.load('run-a', 'Order')).toEqual(isCheckpointNewer(a, b) ? b : a);
    }
    await store.save(cp(1, 'running', 'Customer'));
    expect((await store.list('run-a')).map((c) => c.entity)).toEqual(['Customer', 'Order']);
    await store.delete('run-a');
    expect(await store.list('run-a')).toEqual([]);
  });
});

describe('PostgresIdMapStore', () => {
  it('records pairs once, returns only known keys and keeps 64-bit keys exact', async () => {
    const store = new PostgresIdMapStore({ pool: db.pool, schema: `${db.schema}_ferry`, namespace: 'run-a' });
    await store.put('Order', [
      ['9007199254740993', 'a'],
      ['2', 'b'],
    ]);
    await store.put('Order', [
      ['2', 'b'],
      ['2', 'other'],
    ]); // re-recording: no-op; first wins
    const found = await store.get('Order', ['9007199254740993', '2', '3']);
    expect([...found.entries()].sort()).toEqual([
      ['2', 'b'],
      ['9007199254740993', 'a'],
    ]);
    const other = new PostgresIdMapStore({ pool: db.pool, schema: `${db.schema}_ferry`, namespace: 'run-b' });
    expect((await other.get('Order', ['2'])).size).toBe(0);
  });
});

describe('postgresUpdateSink', () => {
  const table = (): TargetTable => ({
    schema: db.schema,
    table: 'node',
    key: ['Id'],
    columns: [
      { name: 'Id', type: 'bigint', nullable: false },
      { name: 'Name', type: 'text', nullable: false },
      { name: 'ParentId', type: 'bigint', nullable: true },
    ],
  });

  it('sets self references in a second pass, with the checkpoint in the same transaction', async () => {
    await createTable(db.pool, table());
    const first = postgresSink({ pool: db.pool, table: table() });
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      Id: BigInt(i + 1),
      Name: `n${i + 1}`,
      ParentId: null,
    }));
    await first.write({ rows, position: null, rowsRead: rows.length }, context());
    await first.close('completed');

    const checkpoints = new PostgresCheckpointStore({ pool: db.pool, schema: `${db.schema}_ferry` });
    const second = postgresUpdateSink({ pool: db.pool, table: table(), columns: ['ParentId'], checkpoints });
    const refs = rows.map((row) => ({ Id: row.Id, ParentId: row.Id === 1n ? null : (row.Id + 1n) / 2n }));
    const batch = { rows: refs, position: { key: ['2000'] }, rowsRead: refs.length };
    const tx = await second.transactions!.begin(context());
    await tx.write(batch, context());
    await tx.commit({ ...cp(1, 'running', 'Node.pass2'), runId: 'run-u' });
    await second.write(batch, context()); // idempotent
    await second.close('completed');
    const check = await db.observer.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".node c JOIN "${db.schema}".node p ON c."ParentId" = p."Id"
       WHERE p."Id" = (c."Id" + 1) / 2`,
    );
    expect(check.rows[0].n).toBe(1999);
    expect((await checkpoints.load('run-u', 'Node.pass2'))?.sequence).toBe(1);
  });

  it('fails with not-found when a key has no row, and changes nothing', async () => {
    const sink = postgresUpdateSink({ pool: db.pool, table: table(), columns: ['ParentId'] });
    const rows = [
      { Id: 1n, ParentId: 2n },
      { Id: 999_999n, ParentId: 1n },
    ];
    await expect(sink.write({ rows, position: null, rowsRead: 2 }, context())).rejects.toMatchObject({
      reason: 'not-found',
    });
    const check = await db.observer.query(`SELECT "ParentId" FROM "${db.schema}".node WHERE "Id" = 1`);
    expect(check.rows[0].ParentId).toBeNull();
  });
});
