// An O11 database on SQL Server → PostgreSQL through Ferry's library API: discover the catalog,
// generate the mapping, plan with @ferry/adapters/migration, run with exactly-once checkpoints in the
// target, verify by count and checksum. The same program reads MariaDB/PostgreSQL/SQLite O11 copies.
// Run: MSSQL_URL=mssql://user:pass@host/db TARGET_URL=postgres://... node --conditions=source --import tsx migrate.ts

import { pathToFileURL } from 'node:url';
import { run } from '@ferry/core';
import type { RunResult } from '@ferry/core';
import { withExactTypes } from '@ferry/adapters/knex';
import { mssqlConfig } from '@ferry/adapters/mssql';
import { o11MigrationPlan, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions, VerifyReport } from '@ferry/adapters/migration';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { UserMap, generateMapping } from '@ferry/mapping';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

/** Where the O11 database is: a knex client and its connection URL. */
export interface O11Connection {
  readonly client: 'mssql' | 'mysql2' | 'pg';
  readonly url: string;
}

/** Options of {@link migrateO11ToPostgres}. */
export interface O11ToPostgresOptions {
  readonly source: O11Connection;
  readonly targetUrl: string;
  /** Put every table in this schema (default: one schema per O11 module, as generated). */
  readonly targetSchema?: string;
  readonly runId?: string;
  readonly signal?: AbortSignal;
}

/** Opens the O11 database with driver settings that keep decimals, 64-bit ids and dates exact. */
export function openO11(source: O11Connection): Knex {
  const connection = source.client === 'mssql' ? mssqlConfig(source.url) : source.url;
  return knexFactory(withExactTypes({ client: source.client, connection, pool: { min: 0, max: 4 } }));
}

/** O11 users (never the PASSWORD column); no ODC users are known here, so references get the empty GUID. */
async function userMap(db: Knex): Promise<UserMap> {
  const rows = await db<{ ID: string; USERNAME: string; EMAIL: string }>('OSSYS_USER').select(
    'ID',
    'USERNAME',
    'EMAIL',
  );
  return UserMap.build(
    rows.map((r) => ({ id: String(r.ID), username: r.USERNAME, email: r.EMAIL })),
    [],
  );
}

/** Migrates (or resumes) and verifies. */
export async function migrateO11ToPostgres(
  options: O11ToPostgresOptions,
): Promise<{ result: RunResult; verify: VerifyReport }> {
  const db = openO11(options.source);
  const pool = new pg.Pool({ connectionString: options.targetUrl, max: 6 });
  try {
    const schema = options.source.client === 'mssql' ? 'dbo' : undefined;
    const catalog = await discoverO11Catalog(db, { schema });
    const checkpoints = new PostgresCheckpointStore({ pool });
    const migration: O11MigrationOptions = {
      source: { knex: db, ...(schema === undefined ? {} : { schema }) },
      catalog,
      mapping: generateMapping(catalog),
      target: {
        pool,
        mode: 'copy',
        createTables: true,
        ...(options.targetSchema === undefined ? {} : { schema: options.targetSchema }),
      },
      checkpoints,
      userMap: await userMap(db),
    };
    const { plan } = await o11MigrationPlan(migration);
    const result = await run(plan, {
      runId: options.runId ?? 'o11-to-postgres',
      checkpoints,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const verify = await verifyMigration(migration);
    return { result, verify };
  } finally {
    await db.destroy();
    await pool.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const targetUrl = process.env.TARGET_URL;
  const mssql = process.env.MSSQL_URL;
  if (targetUrl === undefined || mssql === undefined) throw new Error('set MSSQL_URL and TARGET_URL');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const { result, verify } = await migrateO11ToPostgres({
    source: { client: 'mssql', url: mssql },
    targetUrl,
    signal: controller.signal,
  });
  for (const e of result.entities)
    console.log(`${e.entity}: ${e.status}, ${e.rowsWritten} written, ${e.rowsRejected} rejected`);
  for (const e of verify.entities)
    console.log(`verify ${e.entity}: ${e.ok ? 'ok' : 'MISMATCH'} (${e.target.rows} rows)`);
  process.exitCode = verify.ok && result.status !== 'failed' && result.status !== 'aborted' ? 0 : 1;
}
