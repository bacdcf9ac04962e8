// Measures diffMigration on one wide-ish table (MariaDB → PostgreSQL): N rows (Long Integer keys past
// 2^53, text, Currency, Date Time, Boolean) are migrated, then diffed unchanged and after `changes`
// rows of the source are updated, spread over the key range. Prints the time and what crossed the
// wire per side (queries, rows). Usage:
//   node --conditions=source --import tsx benchmarks/src/diff-measure.ts [--rows 1000000] [--changes 1000]

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import knexFactory from 'knex';
import pg from 'pg';
import { run } from '@ferry/core';
import type { MappingSpec } from '@ferry/mapping';
import { withExactTypes } from '@ferry/adapters/knex';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { diffMigration, o11MigrationPlan, type O11MigrationOptions } from '@ferry/adapters/migration';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, changes: { type: 'string', default: '1000' } },
});
const ROWS = Number(values.rows);
const CHANGES = Number(values.changes);
const MARIADB = process.env.FERRY_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';
const PG = process.env.FERRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const id = randomBytes(3).toString('hex');
const database = `i12diff_${id}`;
const schema = `i12diff_${id}`;

const mapping: MappingSpec = {
  version: 1,
  entities: [
    {
      name: 'Bench.Item',
      source: { table: 'OSUSR_DIF_ITEM' },
      target: { table: 'item' },
      key: ['Id'],
      attributes: {
        Id: { type: 'rtLongInteger', mandatory: true },
        Name: { type: 'rtText', length: 100 },
        Amount: { type: 'rtCurrency' },
        At: { type: 'rtDateTime' },
        Flag: { type: 'rtBoolean' },
      },
    },
  ],
};

const seconds = (start: bigint) => (Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);

const admin = knexFactory({ client: 'mysql2', connection: MARIADB });
await admin.raw(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
await admin.destroy();
const url = new URL(MARIADB);
url.pathname = `/${database}`;
const knex = knexFactory(withExactTypes({ client: 'mysql2', connection: url.toString() }));
const pool = new pg.Pool({ connectionString: PG, max: 4 });
try {
  await knex.raw(
    'CREATE TABLE OSUSR_DIF_ITEM (ID BIGINT NOT NULL PRIMARY KEY, NAME VARCHAR(100) NOT NULL, ' +
      'AMOUNT DECIMAL(37,8) NOT NULL, `AT` DATETIME(3) NOT NULL, FLAG TINYINT(1) NOT NULL)',
  );
  await knex.raw(
    `INSERT INTO OSUSR_DIF_ITEM SELECT 9007199254740993 + seq, CONCAT('item ', seq, ' é😀'), seq / 100, ` +
      `TIMESTAMP('2020-01-01') + INTERVAL seq SECOND, seq % 2 FROM seq_1_to_${ROWS}`,
  );
  await pool.query(`CREATE SCHEMA ${schema}`);
  const checkpoints = new PostgresCheckpointStore({ pool, schema: `${schema}_ferry` });
  const options: O11MigrationOptions = {
    source: { knex },
    catalog: { modules: [], entities: [] },
    mapping,
    target: { pool, schema, mode: 'copy', createTables: true },
    checkpoints,
  };
  let start = process.hrtime.bigint();
  const { plan } = await o11MigrationPlan(options);
  const result = await run(plan, { runId: 'diff-measure', checkpoints });
  console.log(`run: ${result.status}, ${ROWS} rows in ${seconds(start)} s`);
  for (const label of ['unchanged', `${CHANGES} changed`]) {
    if (label !== 'unchanged')
      await knex.raw(
        `UPDATE OSUSR_DIF_ITEM SET NAME = CONCAT(NAME, ' x') WHERE MOD(ID - 9007199254740993, ?) = 0`,
        [Math.floor(ROWS / CHANGES)],
      );
    start = process.hrtime.bigint();
    const report = await diffMigration(options);
    const e = report.entities[0]!;
    console.log(
      `diff ${label}: ${seconds(start)} s, changed ${e.changed.length}, only in source ${e.onlyInSource.length}, ` +
        `only in target ${e.onlyInTarget.length}, method ${e.method}, cost ${JSON.stringify(e.cost)}, ` +
        `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
  }
} finally {
  await knex.raw(`DROP DATABASE IF EXISTS ${database}`);
  await knex.destroy();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema}_ferry CASCADE`);
  await pool.end();
}
