// mssqlSource and discovery against a real SQL Server. Gated: this machine has no SQL Server, so the
// suite runs only when MSSQL_URL is set (e.g. mssql://sa:Passw0rd!@127.0.0.1:1433/master?encrypt=false).
// It creates a database `ferry_t_<random>`, loads the sample O11 fixture through knex (tedious), reads
// every entity with mssqlSource and compares with the generated rows, then drops the database.

import { readAll } from '@ferry/core/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import sql from 'mssql';
import type { Source } from '@ferry/core';
import type { O11Catalog, O11Entity } from '@ferry/mapping';
import { createSampleO11Database, discoverO11Catalog, o11SourceColumns } from '@ferry/adapters/o11';
import { mssqlConfig, mssqlSource, parseMssqlConnection } from '@ferry/adapters/mssql';
import type { MssqlIsolation } from '@ferry/adapters/mssql';
import { expectedRows } from './fixtures/o11-expected.js';

const URL_ = process.env.MSSQL_URL;
const SEED = 3;
const ROWS = 25;

// Reason for the gate: no SQL Server on this machine; set MSSQL_URL to run against one.
describe.skipIf(URL_ === undefined)('SQL Server (MSSQL_URL)', () => {
  const database = `ferry_t_${randomBytes(4).toString('hex')}`;
  let admin: sql.ConnectionPool;
  let pool: sql.ConnectionPool;
  let knex: Knex;
  let catalog: O11Catalog;
  const keyOf = (e: O11Entity): string[] =>
    e.identifier === undefined ? ['PRODUCTID', 'TAGID'] : [e.attributes.find((a) => a.isIdentifier)!.column];
  const source = (e: O11Entity, isolation?: MssqlIsolation): Source =>
    mssqlSource({
      pool,
      table: e.physicalTable,
      schema: 'dbo',
      key: keyOf(e),
      columns: o11SourceColumns(e),
      isolation,
      name: e.qualifiedName,
    });

  beforeAll(async () => {
    const parts = parseMssqlConnection(URL_!);
    admin = await new sql.ConnectionPool(mssqlConfig(parts)).connect();
    await admin.request().query(`CREATE DATABASE [${database}]`);
    await admin.request().query(`ALTER DATABASE [${database}] SET ALLOW_SNAPSHOT_ISOLATION ON`);
    pool = await new sql.ConnectionPool(mssqlConfig({ ...parts, database })).connect();
    // The same settings the CLI hands knex's mssql client (tedious reads them as given).
    knex = knexFactory({
      client: 'mssql',
      connection: mssqlConfig({ ...parts, database }) as unknown as Knex.StaticConnectionConfig,
    });
    await createSampleO11Database(knex, { rowsPerEntity: ROWS, seed: SEED });
    catalog = await discoverO11Catalog(knex, { schema: 'dbo', includeInactive: true });
  }, 120_000);

  afterAll(async () => {
    await knex?.destroy();
    await pool?.close();
    if (admin !== undefined) {
      await admin.request().query(
        // Azure SQL Database (engine edition 5) has no SINGLE_USER; our own pools are closed above.
        `IF SERVERPROPERTY('EngineEdition') <> 5 EXEC(N'ALTER DATABASE [${database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE'); DROP DATABASE [${database}]`,
      );
      await admin.close();
    }
  });

  test('discovery works over knex mssql', () => {
    const order = catalog.entities.find((e) => e.qualifiedName === 'Sales.Order')!;
    expect(order.attributes.find((a) => a.isIdentifier)?.type).toBe('rtLongInteger');
    expect(catalog.entities).toHaveLength(8);
  });

  test.each([1, 7, 1000])('reads every entity exactly, batch size %i', async (batchSize) => {
    for (const e of catalog.entities) {
      const { rows } = await readAll(source(e), batchSize);
      expect(rows, e.qualifiedName).toEqual(expectedRows(e, SEED, ROWS, keyOf(e)));
    }
  });

  test('resumes after a bigint key beyond 2^53 and under snapshot isolation', async () => {
    const order = catalog.entities.find((e) => e.qualifiedName === 'Sales.Order')!;
    const all = await readAll(source(order), 5);
    expect(all.rows[0]?.ID).toBe('9007199254740993');
    const resumed = await readAll(source(order, 'snapshot'), 3, all.batches[1]!.position);
    expect(resumed.rows).toEqual(all.rows.slice(10));
    expect((await readAll(source(order, 'read-uncommitted'), 100)).rows).toEqual(all.rows);
  });
});
