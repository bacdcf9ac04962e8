// The PostgreSQL side of a run: the benchmark database, a fresh logged target table with a primary
// key per case and run, a CHECKPOINT before each measured load (so every load starts with the same
// full-page-image state), and the WAL position to measure WAL bytes.

import pg from 'pg';
import { BENCH_COLUMNS } from './bench-shape.js';

/** Table name of the baseline targets (Ferry's comes from its generated mapping). */
export const BASELINE_TABLE = 'orderrow';

/** Make sure the benchmark database exists on the PostgreSQL server. */
export async function ensurePgDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

/** A connection to the benchmark database, closed by `end()`. */
export async function connectPg(serverUrl: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: `${serverUrl}/${database}` });
  await client.connect();
  return client;
}

/** Drop and recreate `schema` (each case loads into its own schema). */
export async function freshSchema(client: pg.Client, schema: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.query(`CREATE SCHEMA "${schema}"`);
}

/** Create the baseline target table: logged, primary key on id, the types of {@link BENCH_COLUMNS}. */
export async function createBaselineTable(client: pg.Client, schema: string): Promise<void> {
  const columns = BENCH_COLUMNS.map((c) => `${c.column.toLowerCase()} ${c.postgres}`).join(', ');
  await client.query(`CREATE TABLE "${schema}".${BASELINE_TABLE} (${columns}, PRIMARY KEY (id))`);
}

/** Flush dirty pages so each measured load starts from the same checkpoint state. */
export async function checkpoint(client: pg.Client): Promise<void> {
  await client.query('CHECKPOINT');
}

/** The current WAL insert position. */
export async function walLsn(client: pg.Client): Promise<string> {
  const result = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return result.rows[0]!.lsn;
}

/** Bytes of WAL between two positions. */
export async function walBytes(client: pg.Client, from: string, to: string): Promise<number> {
  const result = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS bytes', [
    to,
    from,
  ]);
  return Number(result.rows[0]!.bytes);
}

/** The server's `version()` short form, e.g. `PostgreSQL 15.20`. */
export async function pgVersion(client: pg.Client): Promise<string> {
  const result = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return `PostgreSQL ${result.rows[0]!.v.split(' ')[0] ?? ''}`;
}

/** The process id of one backend, to find the postmaster in /proc. */
export async function backendPid(client: pg.Client): Promise<number> {
  const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return result.rows[0]!.pid;
}
