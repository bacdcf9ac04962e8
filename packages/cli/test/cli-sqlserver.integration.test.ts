// The SQL Server path users run, end to end: the real `ferry` (discover, assess, run, verify) reading
// an O11 sample through knex (discovery) and mssqlSource (rows), into PostgreSQL. Then what only a
// server shows: keys under a SQL_* and a case-sensitive collation, varchar/uniqueidentifier/decimal
// keys, money and float, a locked table (timeout, retryable), snapshot reads beside a concurrent
// writer, and abort latency. Gated: this machine has no SQL Server (see the README to run it).

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import sql from 'mssql';
import pg from 'pg';
import { readAll } from '@ferry/core/testing';
import { createSampleO11Database } from '@ferry/adapters/o11';
import { mssqlConfig, mssqlSource, parseMssqlConnection } from '@ferry/adapters/mssql';
import type { MssqlConnectionOptions } from '@ferry/adapters/mssql';
import { ExitCode } from '../src/output/exit-codes.js';
import { knexMssqlConnection } from '../src/connect/sqlserver-connect.js';
import { configDir, ferry, PG_URL } from './cli-harness.js';

const MSSQL_URL = process.env.MSSQL_URL;

/** An ADO.NET string for the test database: the form O11 administrators hold. */
function adoNet(o: MssqlConnectionOptions, database: string): string {
  const server = `tcp:${o.server}${o.port === undefined ? '' : `,${o.port}`}`;
  const q = (v: string): string => `"${v.replaceAll('"', '""')}"`;
  return [
    `Server=${server}`,
    `Database=${database}`,
    `User Id=${q(o.user ?? '')}`,
    `Password=${q(o.password ?? '')}`,
    `Encrypt=${String(o.encrypt ?? true)}`,
    `TrustServerCertificate=${String(o.trustServerCertificate ?? false)}`,
  ].join(';');
}

// Reason for the gate: no SQL Server on this machine; set MSSQL_URL to run against one.
describe.skipIf(MSSQL_URL === undefined)('ferry on SQL Server (MSSQL_URL)', () => {
  const id = randomBytes(4).toString('hex');
  const database = `ferry_cli_${id}`;
  const targetSchema = `ferry_mssql_${id}`;
  let parts: MssqlConnectionOptions;
  let admin: sql.ConnectionPool;
  let pool: sql.ConnectionPool;
  let knex: Knex;
  let target: pg.Pool;
  let dir: string;
  const run = (...args: string[]) =>
    ferry(args, { cwd: dir, env: { FERRY_TEST_SOURCE: adoNet(parts, database), FERRY_TEST_TARGET: PG_URL } });

  beforeAll(async () => {
    parts = parseMssqlConnection(MSSQL_URL!);
    admin = await new sql.ConnectionPool(mssqlConfig(parts)).connect();
    // Case-sensitive database collation: every name Ferry sends must match the catalog's case.
    await admin.request().query(`CREATE DATABASE [${database}] COLLATE Latin1_General_100_CS_AS`);
    await admin.request().query(`ALTER DATABASE [${database}] SET ALLOW_SNAPSHOT_ISOLATION ON`);
    await admin
      .request()
      .query(`ALTER DATABASE [${database}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE`);
    const config = mssqlConfig({ ...parts, database });
    pool = await new sql.ConnectionPool(config).connect();
    knex = knexFactory({ client: 'mssql', connection: knexMssqlConnection(config) });
    await createSampleO11Database(knex, { rowsPerEntity: 200, seed: 5 });
    target = new pg.Pool({ connectionString: PG_URL, max: 2 });
    dir = await configDir({
      runId: `mssql-${id}`,
      source: {
        kind: 'o11-sql',
        client: 'mssql',
        connection: { env: 'FERRY_TEST_SOURCE' },
        isolation: 'snapshot',
      },
      target: {
        kind: 'postgres',
        connection: { env: 'FERRY_TEST_TARGET' },
        mode: 'copy',
        createTables: true,
        schema: targetSchema,
      },
      mapping: 'ferry.mapping.json',
      state: { kind: 'file', dir: '.ferry/state' },
    });
  }, 300_000);

  afterAll(async () => {
    await knex?.destroy();
    await pool?.close();
    await target?.query(`DROP SCHEMA IF EXISTS ${targetSchema} CASCADE`);
    await target?.end();
    if (admin !== undefined) {
      await admin
        .request()
        .query(
          `ALTER DATABASE [${database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${database}]`,
        );
      await admin.close();
    }
  });

  test('discover, assess, run, verify through the CLI with an ADO.NET connection string', async () => {
    const discovered = await run('discover');
    expect(discovered.code, discovered.stderr).toBe(ExitCode.ok);
    expect(discovered.stdout).toContain('Sales.Order');
    const assessed = await run('--json', 'assess');
    expect(assessed.stdout).toContain('ALLOW_SNAPSHOT_ISOLATION is ON');
    const ran = await run('run');
    expect(ran.code, ran.stderr).toBe(ExitCode.ok);
    const verified = await run('verify');
    expect(verified.code, verified.stderr).toBe(ExitCode.ok);
  }, 600_000);

  /** A table with one key column of `keyType` and `n` rows from `value(i)`, plus money and float. */
  async function keyedTable(keyType: string, value: (i: number) => string, n: number): Promise<string> {
    const table = `OSUSR_T${randomBytes(2).toString('hex')}_Keyed`;
    await pool
      .request()
      .query(
        `CREATE TABLE dbo.[${table}] ([Key] ${keyType} NOT NULL PRIMARY KEY, [Price] money NULL, [Rate] float NULL)`,
      );
    for (let i = 0; i < n; i++) {
      await pool
        .request()
        .query(
          `INSERT INTO dbo.[${table}] ([Key], [Price], [Rate]) VALUES (${value(i)}, 922337203685477.5807, 0.1 + ${i})`,
        );
    }
    return table;
  }

  const read = (table: string, kind: 'text' | 'decimal' | undefined, batchSize: number) =>
    readAll(
      mssqlSource({
        pool,
        schema: 'dbo',
        table,
        key: ['Key'],
        columns: [
          { name: 'Key', kind },
          { name: 'Price', kind: 'decimal' },
          { name: 'Rate', kind: 'decimal' },
        ],
      }),
      batchSize,
    );

  test.each([
    ['varchar(20) COLLATE SQL_Latin1_General_CP1_CI_AS', 'text' as const, (i: number) => `'k-${i % 7}_${i}'`],
    [
      'varchar(20) COLLATE Latin1_General_100_CS_AS',
      'text' as const,
      (i: number) => `'${i % 2 ? 'A' : 'a'}${i}'`,
    ],
    ['nvarchar(50)', 'text' as const, (i: number) => `N'Zoë ${i}'`],
    ['uniqueidentifier', undefined, (i: number) => `NEWID() /* ${i} */`],
    [
      'decimal(37,8)',
      'decimal' as const,
      (i: number) => `123456789012345678901234567.${String(i).padStart(8, '0')}`,
    ],
  ])('keys %s: every row once, in the server order, money/float exact', async (keyType, kind, value) => {
    const table = await keyedTable(keyType, value, 23);
    const expected = await pool.request().query(`SELECT [Key] FROM dbo.[${table}] ORDER BY [Key]`);
    for (const batchSize of [1, 4, 100]) {
      const { rows } = await read(table, kind, batchSize);
      expect(rows).toHaveLength(23);
      expect(rows.map((r) => String(r.Key).toUpperCase())).toEqual(
        expected.recordset.map((r: { Key: unknown }) => String(r.Key).toUpperCase()),
      );
      expect(rows[0]!.Price).toBe('922337203685477.5807');
      expect(String(rows[0]!.Rate)).toMatch(/^1\.0{15}\d+E-001$/);
    }
  });

  test('a locked table times out as a retryable error, then reads once released', async () => {
    const table = await keyedTable('int', (i) => String(i), 5);
    const short = await new sql.ConnectionPool({
      ...mssqlConfig({ ...parts, database }),
      requestTimeout: 1000,
    }).connect();
    const locker = new sql.Transaction(admin);
    await locker.begin(sql.ISOLATION_LEVEL.SERIALIZABLE);
    try {
      await new sql.Request(locker).query(
        `SELECT * FROM [${database}].dbo.[${table}] WITH (TABLOCKX, HOLDLOCK)`,
      );
      const source = mssqlSource({ pool: short, schema: 'dbo', table, key: ['Key'], columns: ['Key'] });
      await expect(readAll(source, 10)).rejects.toMatchObject({ reason: 'timeout', retryable: true });
    } finally {
      await locker.rollback();
    }
    const source = mssqlSource({ pool: short, schema: 'dbo', table, key: ['Key'], columns: ['Key'] });
    expect((await readAll(source, 10)).rows).toHaveLength(5);
    await short.close();
  });

  test('isolation snapshot: a writer committing during the read changes nothing it returns', async () => {
    const table = await keyedTable('int', (i) => String(i * 10), 50);
    const source = mssqlSource({
      pool,
      schema: 'dbo',
      table,
      key: ['Key'],
      columns: ['Key'],
      isolation: 'snapshot',
    });
    const seen: unknown[] = [];
    let wrote = false;
    for await (const batch of source.read({ batchSize: 5 })) {
      seen.push(...batch.rows.map((r) => r.Key));
      if (!wrote) {
        // A lower key committed after the first page (the row a page-per-statement read skips).
        await pool
          .request()
          .query(
            `INSERT INTO dbo.[${table}] ([Key]) VALUES (1); DELETE FROM dbo.[${table}] WHERE [Key] = 490`,
          );
        wrote = true;
      }
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i * 10));
  });

  test('abort cancels the running page within a second', async () => {
    const table = await keyedTable('int', (i) => String(i), 3);
    const locker = new sql.Transaction(admin);
    await locker.begin(sql.ISOLATION_LEVEL.SERIALIZABLE);
    await new sql.Request(locker).query(
      `SELECT * FROM [${database}].dbo.[${table}] WITH (TABLOCKX, HOLDLOCK)`,
    );
    try {
      const controller = new AbortController();
      const source = mssqlSource({ pool, schema: 'dbo', table, key: ['Key'], columns: ['Key'] });
      const started = Date.now();
      setTimeout(() => controller.abort(), 200);
      const reading = (async () => {
        for await (const _ of source.read({ batchSize: 10, signal: controller.signal })) break;
      })();
      await expect(reading).rejects.toMatchObject({ code: 'FERRY_ABORTED' });
      expect(Date.now() - started).toBeLessThan(1200);
    } finally {
      await locker.rollback();
    }
  });
});
