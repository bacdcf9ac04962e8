// The catch-up benchmark (issue 12): 1M O11-shaped rows MariaDB → PostgreSQL, loaded once; then per
// round: `diff` of the unchanged table, 1,000 rows changed in the source, `diff` of the changed table,
// and `sync` of what it found measured against its baseline of the same round, a full re-run in
// upsert mode. Bytes read over the wire from each database are counted by a proxy in front of each.
// The sync and the full re-run alternate which goes first.
// Usage: node benchmarks/dist/sync-bench.js [--rows 1000000] [--runs 3] [--no-user-ref]
//   [--clustered] [--out file.json | --no-out]. `--no-user-ref` leaves the user reference CreatedBy out of the
// mapping: the diff computes that column's checksums in Node (the user map lives in memory), so with
// it the diff reads every row, without it the checksums are computed in both databases.

import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { run } from '@ferry/core';
import { withExactTypes } from '@ferry/adapters/knex';
import { diffMigration, o11MigrationPlan, syncMigration, verifyMigration } from '@ferry/adapters/migration';
import type { DiffReport, O11MigrationOptions } from '@ferry/adapters/migration';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import knex from 'knex';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { connectionsFromEnv, withDatabase } from './bench-config.js';
import { SOURCE_TABLE } from './bench-shape.js';
import { startByteProxy, viaProxy } from './byte-proxy.js';
import { ferryMigration } from './cases/ferry-pipeline.js';
import { ensurePgDatabase } from './pg-target.js';
import { median } from './bench-summary.js';
import { ensureSource } from './source-setup.js';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    changes: { type: 'string', default: '1000' },
    out: { type: 'string' },
    'no-out': { type: 'boolean', default: false },
    'no-user-ref': { type: 'boolean', default: false },
    clustered: { type: 'boolean', default: false },
  },
});
const rows = Number(flags.rows);
const changes = Number(flags.changes);
const conn = connectionsFromEnv();
// Its own source database: the changes must not touch the load benchmark's `ferry_bench`.
const sourceDb = `ferry_bench_sync_${rows}`;
const schema = `sync_bench_${process.pid}`;

/** One measured phase. */
interface Phase {
  readonly round: number;
  readonly phase: 'diff-unchanged' | 'diff-changed' | 'sync' | 'full-upsert';
  readonly seconds: number;
  readonly mariadbBytes: number;
  readonly postgresBytes: number;
  readonly rowsWritten: number;
}

const log = (line: string): void => console.error(`${new Date().toISOString()} ${line}`);
log(`source ${sourceDb}: ${JSON.stringify(await ensureSource(conn.mariadbServer, sourceDb, rows))}`);
await ensurePgDatabase(conn.pgServer, conn.pgDatabase);
const maria = new URL(conn.mariadbServer);
const postgres = new URL(conn.pgServer);
const [mariaProxy, pgProxy] = await Promise.all([
  startByteProxy(maria.hostname, Number(maria.port || 3306)),
  startByteProxy(postgres.hostname, Number(postgres.port || 5432)),
]);
const db = knex(
  withExactTypes({
    client: 'mysql2',
    connection: viaProxy(withDatabase(conn.mariadbServer, sourceDb), mariaProxy),
    pool: { min: 0, max: 2 },
  }),
);
const pool = new pg.Pool({
  connectionString: viaProxy(withDatabase(conn.pgServer, conn.pgDatabase), pgProxy),
  max: 4,
});
const writer = await mysql.createConnection({ uri: withDatabase(conn.mariadbServer, sourceDb) });
const checkpoints = new PostgresCheckpointStore({ pool, schema: `${schema}_ferry` });
const phases: Phase[] = [];

const migration = async (mode: 'copy' | 'upsert'): Promise<O11MigrationOptions> => {
  const options = await ferryMigration(
    db,
    { pool, schema, table: 'orderrow', mode, commitEvery: 50_000, checkpoints },
    1000,
  );
  if (!flags['no-user-ref'] || options.mapping === undefined || 'graph' in options.mapping) return options;
  const spec = options.mapping;
  const entities = spec.entities.map((e) => ({ ...e, exclude: [...(e.exclude ?? []), 'CreatedBy'] }));
  return { ...options, mapping: { ...spec, entities } };
};

/** Runs `work` and records its time and the bytes each server sent meanwhile. */
async function measure(round: number, phase: Phase['phase'], work: () => Promise<number>): Promise<void> {
  mariaProxy.take();
  pgProxy.take();
  const started = performance.now();
  const rowsWritten = await work();
  const seconds = (performance.now() - started) / 1000;
  phases.push({
    round,
    phase,
    seconds,
    mariadbBytes: mariaProxy.take(),
    postgresBytes: pgProxy.take(),
    rowsWritten,
  });
  log(`round ${round} ${phase}: ${seconds.toFixed(2)} s, ${rowsWritten} rows`);
}

try {
  await pool.query(`CREATE SCHEMA ${schema}`);
  const bulk = await run((await o11MigrationPlan(await migration('copy'))).plan, {
    runId: 'bulk',
    retry: { retries: 0 },
  });
  if (bulk.status !== 'completed') throw new Error(`bulk load ${bulk.status}`);
  log('bulk load done');
  for (let round = 1; round <= Number(flags.runs); round++) {
    await measure(round, 'diff-unchanged', async () => {
      const found = await diffMigration(await migration('upsert'));
      if (!found.ok) throw new Error('the unchanged table differs');
      const e = found.entities[0];
      log(
        `diff method ${e?.method ?? '?'}${e?.fallback === undefined ? '' : ` (fallback: ${e.fallback})`}, cost ${JSON.stringify(e?.cost)}`,
      );
      return 0;
    });
    // 1,000 rows spread over the key range, different ones each round (997 is prime to the row count),
    // the worst case for bisection; or with --clustered 1,000 consecutive keys (recent rows).
    const ids = Array.from({ length: changes }, (_, k) =>
      flags.clustered ? rows - changes * round + k + 1 : 1 + ((k * 997 + round * 13) % rows),
    );
    await writer.query(
      `UPDATE ${SOURCE_TABLE} SET QUANTITY = QUANTITY + 1, AMOUNT = AMOUNT + 0.5 WHERE ID IN (${ids.join(',')})`,
    );
    let diff: DiffReport | undefined;
    await measure(round, 'diff-changed', async () => {
      diff = await diffMigration(await migration('upsert'));
      const changed = diff.entities.flatMap((e) => e.changed.map((k) => Number(k[0])));
      const other = diff.entities.reduce((n, e) => n + e.onlyInSource.length + e.onlyInTarget.length, 0);
      const want = [...ids].sort((a, b) => a - b).join(',');
      if (other !== 0 || changed.sort((a, b) => a - b).join(',') !== want)
        throw new Error('the diff did not find exactly the changed keys');
      return 0;
    });
    const order = round % 2 === 1 ? (['sync', 'full-upsert'] as const) : (['full-upsert', 'sync'] as const);
    for (const phase of order) {
      if (phase === 'sync')
        await measure(round, phase, async () => {
          const report = await syncMigration(
            { ...(await migration('upsert')), runId: `sync-${round}`, run: { retry: { retries: 0 } } },
            diff!,
          );
          if (report.status !== 'completed') throw new Error(`sync ${report.status}`);
          return report.entities.reduce((n, e) => n + e.updated + e.inserted + e.deleted, 0);
        });
      else
        await measure(round, phase, async () => {
          const { plan } = await o11MigrationPlan(await migration('upsert'));
          const result = await run(plan, { runId: `full-${round}`, retry: { retries: 0 } });
          if (result.status !== 'completed') throw new Error(`full re-run ${result.status}`);
          return result.entities.reduce((n, e) => n + e.rowsWritten, 0);
        });
    }
  }
  const verified = await verifyMigration(await migration('upsert'));
  if (!verified.ok) throw new Error('the target differs from the source after the rounds');
  log('verify: the target equals the mapped source');
  const summary = (phase: Phase['phase']) => {
    const of = phases.filter((p) => p.phase === phase);
    return {
      phase,
      seconds: median(of.map((p) => p.seconds)),
      mariadbMB: median(of.map((p) => p.mariadbBytes / 1e6)),
      postgresMB: median(of.map((p) => p.postgresBytes / 1e6)),
    };
  };
  const all = (['diff-unchanged', 'diff-changed', 'sync', 'full-upsert'] as const).map(summary);
  const [sync, full] = [all[2]!, all[3]!];
  const ratio = sync.seconds! / full.seconds!;
  console.log('| phase | seconds (median) | MB read from MariaDB | MB read from PostgreSQL |');
  console.log('| --- | --: | --: | --: |');
  for (const s of all)
    console.log(
      `| ${s.phase} | ${s.seconds!.toFixed(2)} | ${s.mariadbMB!.toFixed(3)} | ${s.postgresMB!.toFixed(3)} |`,
    );
  console.log(
    `sync / full re-run: ${(ratio * 100).toFixed(1)}% of the time (goal ≤ 10%: ${ratio <= 0.1 ? 'met' : 'MISSED'})`,
  );
  if (!flags['no-out']) {
    const file =
      flags.out ??
      join(
        import.meta.dirname,
        '..',
        'results',
        `${new Date().toISOString().slice(0, 10)}-sync-${rows}${flags['no-user-ref'] ? '-no-user-ref' : ''}${flags.clustered ? '-clustered' : ''}.json`,
      );
    const facts = {
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg(),
      rows,
      changes,
      userRef: !flags['no-user-ref'],
      clustered: flags.clustered,
    };
    await writeFile(file, JSON.stringify({ facts, phases, summary: all, ratio }, null, 2));
    log(`results: ${file}`);
  }
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema}_ferry CASCADE`).catch(() => undefined);
  await writer.end();
  await db.destroy();
  await pool.end();
  await Promise.all([mariaProxy.close(), pgProxy.close()]);
}
