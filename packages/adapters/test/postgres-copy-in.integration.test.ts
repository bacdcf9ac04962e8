// CopyIn, the one COPY ... FROM STDIN a PostgreSQL transaction keeps open, on the real server: what
// it does after the server refused a piece, after an abort, with a piece larger than its buffer, and
// when aborted twice. Each case must end (a hang here is a client left mid-COPY) and leave the client
// usable for the ROLLBACK that follows. Killed the surviving mutants of copy-in.ts (mutation target
// postgres-write), see the package README.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { CopyIn } from '../src/postgres/copy-in.js';
import { openTestDb, type TestDb } from './postgres-test-db.js';

let db: TestDb;
let n = 0;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db?.drop());

/** A fresh table, a client in a transaction, and a COPY into the table; `errors` hears its failures. */
async function openCopy() {
  const table = `"${db.schema}"."copy_${(n += 1)}"`;
  await db.pool.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, name text NOT NULL)`);
  const client: pg.PoolClient = await db.pool.connect();
  await client.query('BEGIN');
  const errors: Error[] = [];
  let heard: (error: Error) => void = () => undefined;
  const firstError = new Promise<Error>((resolve) => (heard = resolve));
  const copy = new CopyIn(client, `COPY ${table} (id, name) FROM STDIN`, (error) => {
    errors.push(error);
    heard(error);
  });
  /** ROLLBACK on the same client (it must not be mid-COPY), then the rows another session sees. */
  const rollbackAndCount = async (): Promise<number> => {
    await client.query('ROLLBACK');
    client.release();
    return (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  };
  return { table, client, copy, errors, firstError, rollbackAndCount };
}

const lines = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `${from + i}\tname ${from + i}\n`).join('');

describe('CopyIn', () => {
  it('after the server refused a piece, write and finish fail with that error, abort ends', async () => {
    const { copy, errors, firstError, rollbackAndCount } = await openCopy();
    await copy.write(lines(1, 3));
    await copy.write('not-a-number\tx\n');
    const refused = await firstError; // 22P02, reported while nobody writes
    expect((refused as Error & { code?: string }).code).toBe('22P02');
    await expect(copy.write(lines(10, 2))).rejects.toBe(refused);
    await expect(copy.finish()).rejects.toBe(refused);
    await copy.abort();
    expect(errors).toEqual([refused]);
    expect(await rollbackAndCount()).toBe(0);
  }, 20_000);

  it('after an abort, a write is refused; a second abort ends at once; nothing is kept', async () => {
    const { copy, rollbackAndCount } = await openCopy();
    await copy.write(lines(1, 5));
    await copy.abort();
    await expect(copy.write(lines(6, 1))).rejects.toThrow('COPY was aborted');
    await copy.abort();
    expect(await rollbackAndCount()).toBe(0);
  }, 20_000);

  it('a piece larger than the stream buffer waits for drain; every row arrives once', async () => {
    const { copy, client, table, rollbackAndCount } = await openCopy();
    const rows = 300_000; // about 6 MB of COPY text, above the 4 MiB buffer
    const piece = lines(1, rows);
    expect(Buffer.byteLength(piece)).toBeGreaterThan(4 * 1024 * 1024);
    await copy.write(piece);
    await copy.write(lines(rows + 1, 1));
    await copy.finish();
    const stored = await client.query(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, min(id)::text AS lo, max(id)::text AS hi FROM ${table}`,
    );
    expect(stored.rows[0]).toEqual({ n: rows + 1, d: rows + 1, lo: '1', hi: String(rows + 1) });
    await copy.abort(); // after finish: nothing to discard, the transaction is untouched
    expect((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(rows + 1);
    expect(await rollbackAndCount()).toBe(0);
  }, 20_000);
});
