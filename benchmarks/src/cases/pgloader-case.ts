// Baseline (b): pgloader MariaDB → PostgreSQL, once with its defaults and once tuned for memory (smaller
// prefetch and batches, fewer workers). pgloader creates its own table (indexes after the load, its
// default). A crash (heap exhaustion drops SBCL into its debugger) or timeout is recorded as the result.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDatabase } from '../bench-config.js';
import { SOURCE_TABLE } from '../bench-shape.js';
import { freshSchema } from '../pg-target.js';
import { baselineColumns } from '../load-verify.js';
import { runTimed } from '../timed-process.js';
import type { BenchCase, CaseContext, CaseOutcome } from './case-types.js';
import { timeoutFor } from './psql-copy.js';

/** The tuned WITH clause: what kept pgloader inside its heap here. */
export const PGLOADER_TUNED =
  'workers = 2, concurrency = 1, prefetch rows = 10000, batch rows = 5000, batch size = 8MB';

function loadCommand(context: CaseContext, schema: string, tuned: boolean): string {
  const source = withDatabase(context.connections.mariadbServer, context.sourceDatabase);
  const target = withDatabase(context.connections.pgServer, context.connections.pgDatabase);
  const withClause = tuned ? `,\n      ${PGLOADER_TUNED}` : '';
  return `LOAD DATABASE
  FROM ${source}
  INTO ${target}
  WITH include drop, create tables, create indexes, reset sequences${withClause}
  INCLUDING ONLY TABLE NAMES MATCHING '${SOURCE_TABLE}'
  ALTER SCHEMA '${context.sourceDatabase}' RENAME TO '${schema}';
`;
}

function pgloaderCase(tuned: boolean): BenchCase {
  const schema = tuned ? 'bench_pgloader_tuned' : 'bench_pgloader_default';
  return {
    name: tuned ? 'pgloader-tuned' : 'pgloader-default',
    description: tuned ? `pgloader, tuned (${PGLOADER_TUNED})` : 'pgloader with its defaults',
    async prepare(context) {
      await freshSchema(context.pg, schema);
      await context.pg.query(`DROP SCHEMA "${schema}" CASCADE`);
    },
    async execute(context): Promise<CaseOutcome> {
      const file = join(context.options.workDir, `${schema}.load`);
      await writeFile(file, loadCommand(context, schema, tuned), { mode: 0o600 });
      const run = await runTimed(
        'pgloader',
        ['--no-ssl-cert-verification', '--root-dir', join(context.options.workDir, 'pgloader'), file],
        { workDir: context.options.workDir, timeoutMs: timeoutFor(context.rows) * 2 },
      );
      const output = `${run.stdout}\n${run.stderr}`;
      const heap = /Heap exhausted|exhausted heap|memory fault/i.test(output);
      const failed = run.exitCode !== 0 || run.timedOut || heap;
      const reason = run.timedOut ? 'timed out' : heap ? 'heap exhausted' : `exit ${String(run.exitCode)}`;
      return {
        rows: failed ? 0 : context.rows,
        seconds: run.wallS,
        peakRssKb: run.maxRssKb,
        cpuProcessS: run.cpuS,
        ...(failed ? { error: `pgloader ${reason}: ${lastLines(output)}` } : {}),
      };
    },
    target: () => ({ schema, table: SOURCE_TABLE.toLowerCase(), columns: baselineColumns }),
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ').slice(-400);
}

/** pgloader with its defaults. */
export const pgloaderDefaultCase = pgloaderCase(false);
/** pgloader tuned. */
export const pgloaderTunedCase = pgloaderCase(true);
