// `ferry demo`: a whole migration with nothing installed. A generated O11 database in SQLite (about
// 100k rows), an embedded PostgreSQL as the ODC side, then the real commands (discover, assess, check,
// plan, run, verify) through a generated config, each explained, and the verified report. Everything lives in a temp folder that
// is removed at the end.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTable } from '@ferry/adapters/postgres';
import { createSampleO11Database, type SampleO11Database } from '@ferry/adapters/o11';
import knexFactory from 'knex';
import pg from 'pg';
import type { CommandContext, CommandHandler } from '../cli/command-context.js';
import type { FerryConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { assessCommand } from '../commands/assess-command.js';
import { checkCommand } from '../commands/check-command.js';
import { planCommand } from '../commands/plan-command.js';
import { runFiles } from '../report/run-files.js';
import { readPreviousReport } from '../report/run-record.js';
import type { RunReport } from '../report/run-report.js';
import { STEP_NOTES, explainTotals } from './demo-explain.js';
import { discoverCommand } from '../commands/discover-command.js';
import { runCommand } from '../commands/run-command.js';
import { verifyCommand } from '../commands/verify-command.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, formatDuration } from '../output/text-table.js';
import { CliSession } from '../session/cli-session.js';
import { readO11Users } from '../session/user-map-load.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/** Options of `ferry demo`. */
export interface DemoOptions {
  readonly rows: number;
  readonly keep?: boolean;
}

const URL_ENV = 'FERRY_DEMO_TARGET_URL';

/** The demo's ODC user id for an O11 user: deterministic, so every user reference maps. */
export function demoOdcUserId(id: string): string {
  return `00000000-0000-4000-8000-${id.padStart(12, '0')}`;
}

async function buildSource(dir: string, rows: number): Promise<SampleO11Database> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'o11.sqlite') },
    useNullAsDefault: true,
  });
  try {
    const sample = await createSampleO11Database(db, { rowsPerEntity: rows });
    const users = await readO11Users(db);
    const odc = users.map((u) => ({ id: demoOdcUserId(u.id), email: u.email, username: u.username }));
    await writeFile(join(dir, 'odc-users.json'), `${JSON.stringify(odc, null, 2)}\n`);
    return sample;
  } finally {
    await db.destroy();
  }
}

const demoConfig: FerryConfig = {
  runId: 'demo',
  source: { kind: 'o11-sql', client: 'better-sqlite3', filename: 'o11.sqlite' },
  target: { kind: 'postgres', connection: { env: URL_ENV }, mode: 'insert', createTables: true },
  mapping: 'ferry.mapping.json',
  state: { kind: 'postgres' },
  users: { odcUsersFile: 'odc-users.json' },
  concurrency: 1,
  batchSize: 5000,
  // One transaction per batch: pglite-socket runs one transaction at a time for all its connections,
  // and the mapping's parent check of the next batch (another connection) would wait for a
  // transaction that waits for that batch. Multi-batch entities hung the demo before this.
  commitEvery: 5000,
};

/** Runs one step, printing a heading; returns its exit code. */
async function step<O>(
  context: CommandContext,
  title: string,
  handler: CommandHandler<O>,
  options: O,
): Promise<number> {
  context.out.line('');
  context.out.line(context.out.paint('bold', `== ferry ${title}`));
  const note = STEP_NOTES[title];
  if (note !== undefined) context.out.line(context.out.paint('dim', note));
  return handler(context, options);
}

/** The embedded demo. */
export const demoCommand: CommandHandler<DemoOptions> = async (context, options) => {
  const { out } = context;
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-demo-'));
  out.line(`Building a sample O11 database in SQLite and starting an embedded PostgreSQL (in ${dir})...`);
  const starting = startEmbeddedPostgres();
  const sessions: CliSession[] = [];
  try {
    const [sample, postgres] = await Promise.all([buildSource(dir, options.rows), starting]);
    out.line(`  ${formatCount(sample.totalRows)} O11 rows in 2 modules; PGlite listening on 127.0.0.1.`);
    await writeFile(join(dir, 'ferry.config.json'), `${JSON.stringify(demoConfig, null, 2)}\n`);
    const env = { ...context.env, [URL_ENV]: postgres.url };
    const sub: CommandContext = {
      ...context,
      env,
      session: async () => {
        const session = new CliSession(await loadConfig(join(dir, 'ferry.config.json')), env);
        sessions.push(session);
        return session;
      },
    };
    const codes: number[] = [];
    codes.push(await step(sub, 'discover', discoverCommand, {}));
    // assess exits 3 on what it finds; the sample holds such patterns on purpose, so it is shown only.
    await step(sub, 'assess', assessCommand, {});
    // The ODC app's tables: created from the mapping, as publishing the ODC app would.
    await createTargetTables(sub);
    codes.push(await step(sub, 'check', checkCommand, {}));
    codes.push(await step(sub, 'plan', planCommand, {}));
    codes.push(await step(sub, 'run', runCommand, {}));
    const session = await sub.session();
    const report = await readPreviousReport<RunReport>(runFiles(session, 'demo').report, 'demo');
    if (report !== undefined) {
      out.line('');
      explainTotals(out, sample, await session.catalog(), report);
    }
    codes.push(await step(sub, 'verify', verifyCommand, {}));
    const failed = codes.find((code) => code !== ExitCode.ok);
    out.line('');
    if (failed !== undefined) {
      out.line(out.paint('red', 'Demo failed: see above.'));
      return failed as typeof ExitCode.failed;
    }
    out.line(
      out.paint(
        'green',
        `Demo complete in ${formatDuration(performance.now() - started)}: migrated, and verified by count and checksum per entity.`,
      ),
    );
    return ExitCode.ok;
  } finally {
    for (const session of sessions) await session.close();
    await starting.then((postgres) => postgres.stop()).catch(() => undefined);
    if (options.keep === true) printNextSteps(context, dir);
    else {
      await rm(dir, { recursive: true, force: true });
      // The run step printed its report path inside this folder: say it is gone, and how to keep it.
      out.note(`removed ${dir} (the demo database, report and state); pass --keep to keep them`);
    }
  }
};

async function createTargetTables(context: CommandContext): Promise<void> {
  const session = await context.session();
  const compiled = await session.compiled();
  const pool = new pg.Pool({ connectionString: context.env[URL_ENV]!, max: 1 });
  try {
    for (const entity of compiled.entities) await createTable(pool, entity.table);
  } finally {
    await pool.end();
  }
}

/** After `--keep`: what is in the folder and what to try next (the embedded PostgreSQL is gone). */
function printNextSteps(context: CommandContext, dir: string): void {
  const { out } = context;
  out.line('');
  out.line(`Kept ${dir}:`);
  out.line('  o11.sqlite          the sample O11 database (OSSYS_* metadata and OSUSR_* tables)');
  out.line(
    '  ferry.config.json   the config the demo ran with; ferry.mapping.json the mapping discover wrote',
  );
  out.line('  .ferry/demo.report.json  the run report (the embedded PostgreSQL, target and state, is gone)');
  out.line('Next:');
  out.line(`  cd ${dir}`);
  out.line('  ferry report                      # the run as one HTML page (.ferry/demo.report.html)');
  out.line(`  ${URL_ENV}=postgres://... ferry run && ferry verify   # again, into a PostgreSQL of yours`);
  out.line('  ferry init --source mssql --target postgres   # in an empty folder: a config for your O11');
}
