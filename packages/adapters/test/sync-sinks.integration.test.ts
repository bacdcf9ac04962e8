// `ferry sync`'s delete and detach sinks on a real PostgreSQL. Delete: a batch whose every key has a row deletes them; a
// batch with keys that have no row fails with FERRY_PG_DELETE_MISSING naming those keys (keys, not
// values) and the way out (a sync that diffs again), and deletes nothing (the batch's transaction). Detach (an update sink): a key without a row gives the
// advice the sync asks for, not a first-pass loader's.

import { describe, expect, it } from 'vitest';
import { postgresDeleteSink, postgresUpdateSink } from '@ferry/adapters/postgres';
import { context, sharedTestClient, simpleTable } from './postgres-test-db.js';

const shared = sharedTestClient();

describe('postgresDeleteSink', () => {
  it('names the keys with no row to delete, and deletes nothing of the batch', async () => {
    const { db } = shared;
    const table = simpleTable(db.schema, 'gone');
    await db.pool.query(`CREATE TABLE "${db.schema}"."gone" ("Id" bigint PRIMARY KEY, "Name" text NOT NULL)`);
    await db.pool.query(`INSERT INTO "${db.schema}"."gone" VALUES (1, 'a'), (2, 'b'), (4, 'd')`);
    const sink = postgresDeleteSink({ pool: db.pool, table });
    const keys = (ids: number[]) => ({
      rows: ids.map((id) => ({ Id: String(id) })),
      position: { key: [String(ids[ids.length - 1])] },
      rowsRead: ids.length,
    });
    const failure = await sink.write(keys([1, 3, 5]), context()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'FERRY_PG_DELETE_MISSING' });
    expect((failure as Error).message).toContain('2 key(s) of the batch have no row');
    expect((failure as Error).message).toContain('(3, 5)');
    expect((failure as Error).message).toContain('`ferry sync` without --diff-file');
    await sink.write(keys([2, 4]), context(2));
    await sink.close('completed');
    const { rows } = await db.pool.query<{ Id: string }>(`SELECT "Id" FROM "${db.schema}"."gone" ORDER BY 1`);
    expect(rows.map((r) => r.Id)).toEqual(['1']);
  });

  it('the detach step (an update sink) advises what the sync asks when a key has no row', async () => {
    const { db } = shared;
    const table = simpleTable(db.schema, 'detached');
    await db.pool.query(`CREATE TABLE "${db.schema}"."detached" ("Id" bigint PRIMARY KEY, "Name" text)`);
    const advice = 'the diff is stale, run `ferry sync` without --diff-file, it diffs again';
    const sink = postgresUpdateSink({ pool: db.pool, table, columns: ['Name'], missingAdvice: advice });
    const batch = { rows: [{ Id: '9', Name: null }], position: { key: ['9'] }, rowsRead: 1 };
    const failure = await sink.write(batch, context()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'FERRY_PG_UPDATE_MISSING' });
    expect((failure as Error).message).toContain(`to update: ${advice}`);
    expect((failure as Error).message).not.toContain('first pass');
    await sink.close('failed');
  });
});
