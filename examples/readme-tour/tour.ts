// The README's "five-minute tour", as a program that runs: everything below the first blank line is
// the README's code block, byte for byte (readme-tour.test.ts compares them and runs this file).
// Run: O11_URL=mysql://root@127.0.0.1:3306/o11 ODC_URL=postgres://postgres@127.0.0.1:5432/odc \
//        node --conditions=source --import tsx examples/readme-tour/tour.ts

import { run } from '@ferry/core';
import { withExactTypes } from '@ferry/adapters/knex';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration, type O11MigrationOptions } from '@ferry/adapters/migration';
import { UserMap, generateMapping, loadOdcUsers } from '@ferry/mapping';
import knex from 'knex';
import pg from 'pg';

// 1. Your connections: Ferry never owns them, so this program closes them at the end. O11_URL is an
//    O11 database (here a MariaDB copy); withExactTypes keeps decimals, bigints and dates exact.
//    On SQL Server: client 'mssql', connection mssqlConfig(process.env.O11_URL!) (from
//    '@ferry/adapters/mssql'; a URL or an ADO.NET string) and `schema: 'dbo'` in steps 2 and 5.
const o11 = knex(withExactTypes({ client: 'mysql2', connection: process.env.O11_URL! }));
const pool = new pg.Pool({ connectionString: process.env.ODC_URL });

try {
  // 2. The O11 model, read from the OSSYS_* metadata (physical OSUSR_* names are resolved, not guessed).
  const catalog = await discoverO11Catalog(o11);

  // 3. A mapping: generated, then edited (or a JSON file through parseMapping). Conversions are exact:
  //    text lengths, decimal scale, the O11 "empty" defaults, date limits, user and static references.
  const mapping = generateMapping(catalog, { modules: ['Catalog', 'Sales'] });

  // 4. O11 user ids → ODC user ids, by e-mail (emails never leave the map; reports list ids only).
  //    Without an ODC user list (ODC_USERS: a JSON file), every user reference gets the empty GUID.
  const o11Users = await o11('OSSYS_USER').select('ID as id', 'USERNAME as username', 'EMAIL as email');
  const odcUsers = process.env.ODC_USERS ? await loadOdcUsers({ file: process.env.ODC_USERS }) : [];
  const userMap = UserMap.build(o11Users, odcUsers);

  // 5. The plan: per entity a keyset source, the mapping stage and a PostgreSQL sink, in reference
  //    order, with a second pass for cyclic references. createTables creates the missing target
  //    tables from the mapping (without it they must exist). Checkpoints live in the target database.
  const checkpoints = new PostgresCheckpointStore({ pool });
  const migration: O11MigrationOptions = {
    source: { knex: o11 },
    catalog,
    mapping,
    target: { pool, mode: 'copy', createTables: true },
    checkpoints,
    userMap,
  };
  const { plan } = await o11MigrationPlan(migration);

  // 6. Run. Same runId = resume. The runner owns the transactions: rows and checkpoint commit together
  //    every `commitEvery` rows, into the store the sinks carry (so no second store can be passed).
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const result = await run(plan, {
    runId: 'tour',
    commitEvery: 50_000,
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'entity:end') console.log(`${e.entity}: ${e.status}, ${e.rowsWritten} rows written`);
    },
  });

  // 7. Check the run before anything else: a failed entity carries its error (entity, key, code).
  if (result.status === 'failed' || result.status === 'aborted') {
    for (const e of result.entities.filter((e) => e.error !== undefined))
      console.error(`${e.entity}: ${e.error!.code} ${e.error!.message}`);
    process.exitCode = result.status === 'aborted' ? 4 : 1;
  } else {
    // 8. Verify: per entity, count + order-independent checksum of the mapped source against the target.
    const report = await verifyMigration(migration);
    for (const e of report.entities) console.log(`verify ${e.entity}: ${e.ok ? 'ok' : 'DIFFERENT'}`);
    process.exitCode = report.ok ? 0 : 1;
  }
} finally {
  // The pools hold sockets open: without closing them the process never exits.
  await o11.destroy();
  await pool.end();
}
