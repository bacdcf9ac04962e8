// One benchmark session: for each size, build or reuse the source, export it for `\copy`, then run the
// rounds with every case once per round (interleaved, so background load hits all cases alike), verify
// each load, and reduce to medians, ratios and goals. Returns the result; run.ts prints and saves it.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import mysql from 'mysql2/promise';
import { connectionsFromEnv, sourceDatabase, withDatabase, type BenchOptions } from './bench-config.js';
import { collectFacts, ensureTools, type BenchFacts } from './bench-facts.js';
import { checkGoals, summarize, type CaseSummary, type GoalCheck } from './bench-summary.js';
import { caseByName } from './cases/case-registry.js';
import { resumeComparison } from './cases/ferry-cases.js';
import { ensureExport } from './export-file.js';
import { sampleStep, sourceDigest, type TableDigest } from './load-verify.js';
import { measureCase, type RunRecord } from './measure-case.js';
import { backendPid, connectPg, ensurePgDatabase, pgVersion } from './pg-target.js';
import { mariadbPid, parentPid } from './proc-stats.js';
import { ensureSource, type SourceSetup } from './source-setup.js';

/** The result of one size. */
export interface SizeResult {
  readonly rows: number;
  readonly source: SourceSetup;
  readonly summaries: readonly CaseSummary[];
  readonly runs: readonly RunRecord[];
  /** The resume case beside a fresh run, in words. */
  readonly resume?: string;
}

/** A session's whole result (also the JSON file). */
export interface BenchResult {
  readonly date: string;
  readonly command: string;
  readonly facts: BenchFacts;
  readonly settings: Pick<
    BenchOptions,
    'runs' | 'cases' | 'batchSize' | 'commitEvery' | 'maxInFlight' | 'partitions'
  >;
  readonly sizes: readonly SizeResult[];
  readonly goals: readonly GoalCheck[];
}

/** Run a session. */
export async function runSession(options: BenchOptions): Promise<BenchResult> {
  const log = (line: string): void => {
    if (options.verbose) process.stderr.write(`[bench] ${line}\n`);
  };
  const fromEnv = connectionsFromEnv();
  const connections = { ...fromEnv, pgDatabase: options.pgDatabase ?? fromEnv.pgDatabase };
  await mkdir(options.workDir, { recursive: true });
  ensureTools(options.install, log);
  await ensurePgDatabase(connections.pgServer, connections.pgDatabase);
  const client = await connectPg(connections.pgServer, connections.pgDatabase);
  const maria = await mysql.createConnection({ uri: connections.mariadbServer, charset: 'utf8mb4' });
  try {
    const [version] = await maria.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    const facts = collectFacts(await pgVersion(client), String(version[0]?.['v']));
    const postmasterPid = parentPid(await backendPid(client)) ?? 0;
    const sizes: SizeResult[] = [];
    for (const rows of options.sizes) {
      const database = sourceDatabase(rows);
      log(`source ${database}: ${rows} rows`);
      const source = await ensureSource(connections.mariadbServer, database, rows);
      const sourceUrl = withDatabase(connections.mariadbServer, database);
      const exportFile = options.cases.includes('psql-copy')
        ? await ensureExport(sourceUrl, options.workDir, database, rows)
        : undefined;
      const digests = new Map<string, Promise<TableDigest>>();
      const env = {
        postmasterPid,
        mariadbPid: mariadbPid(),
        sourceDigest: async (skip: ReadonlySet<string>): Promise<TableDigest> => {
          const key = [...skip].sort().join(',');
          if (!digests.has(key)) digests.set(key, digestOnce(sourceUrl, rows, skip));
          return digests.get(key)!;
        },
      };
      const records: RunRecord[] = [];
      for (let round = 1; round <= options.runs; round++) {
        for (const name of options.cases) {
          const context = {
            options,
            connections,
            rows,
            sourceDatabase: database,
            exportFile,
            pg: client,
            round,
          };
          const record = await measureCase(caseByName(name), context, env);
          log(`${rows} rows, round ${round}, ${name}: ${describe(record)}`);
          records.push(record);
        }
      }
      const summaries = summarize(
        records,
        options.cases.map((name) => ({ name, description: caseByName(name).description })),
      );
      const resume = resumeComparison(summaries, records);
      sizes.push({ rows, source, summaries, runs: records, ...(resume === undefined ? {} : { resume }) });
    }
    const result: BenchResult = {
      date: new Date().toISOString(),
      command: process.argv.slice(1).join(' '),
      facts,
      settings: {
        runs: options.runs,
        cases: options.cases,
        batchSize: options.batchSize,
        commitEvery: options.commitEvery,
        ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
        ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
      },
      sizes,
      goals: checkGoals(sizes),
    };
    if (options.resultFile !== undefined) {
      await mkdir(dirname(options.resultFile), { recursive: true });
      await writeFile(options.resultFile, `${JSON.stringify(result, null, 2)}\n`);
    }
    return result;
  } finally {
    await client.end();
    await maria.end();
  }
}

async function digestOnce(sourceUrl: string, rows: number, skip: ReadonlySet<string>): Promise<TableDigest> {
  const conn = await mysql.createConnection({ uri: sourceUrl, charset: 'utf8mb4' });
  try {
    return await sourceDigest(conn, sampleStep(rows), skip);
  } finally {
    await conn.end();
  }
}

function describe(r: RunRecord): string {
  if (r.error !== undefined) return `FAILED ${r.error.slice(0, 200)}`;
  return `${Math.round(r.rowsPerSecond)} rows/s, ${r.seconds.toFixed(2)} s, RSS ${r.peakRssMb.toFixed(0)} MB, WAL ${(r.walBytes / 1048576).toFixed(0)} MB`;
}
