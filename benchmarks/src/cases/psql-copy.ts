// Baseline (a), the physical limit: `psql \copy` of the pre-exported COPY text file into a fresh
// logged table with a primary key. Only the load is timed; the export was written beforehand.

import { BENCH_COLUMNS } from '../bench-shape.js';
import { withDatabase } from '../bench-config.js';
import { BASELINE_TABLE, createBaselineTable, freshSchema } from '../pg-target.js';
import { baselineColumns } from '../load-verify.js';
import { runTimed } from '../timed-process.js';
import type { BenchCase, CaseContext, CaseOutcome } from './case-types.js';

const SCHEMA = 'bench_psql_copy';

/** `psql \copy FROM file`. */
export const psqlCopyCase: BenchCase = {
  name: 'psql-copy',
  description: 'psql \\copy of a pre-exported COPY text file (physical limit)',
  async prepare(context) {
    await freshSchema(context.pg, SCHEMA);
    await createBaselineTable(context.pg, SCHEMA);
  },
  async execute(context: CaseContext): Promise<CaseOutcome> {
    if (context.exportFile === undefined) throw new Error('psql-copy: no export file');
    const columns = BENCH_COLUMNS.map((c) => c.column.toLowerCase()).join(', ');
    const command = `\\copy ${SCHEMA}.${BASELINE_TABLE} (${columns}) FROM '${context.exportFile}'`;
    const url = withDatabase(context.connections.pgServer, context.connections.pgDatabase);
    const run = await runTimed('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], {
      workDir: context.options.workDir,
      timeoutMs: timeoutFor(context.rows),
    });
    const failed = run.exitCode !== 0 || run.timedOut;
    return {
      rows: failed ? 0 : context.rows,
      seconds: run.wallS,
      peakRssKb: run.maxRssKb,
      cpuProcessS: run.cpuS,
      ...(failed ? { error: `psql exit ${String(run.exitCode)}: ${run.stderr.slice(-300)}` } : {}),
    };
  },
  target: () => ({ schema: SCHEMA, table: BASELINE_TABLE, columns: baselineColumns }),
};

/** A generous timeout for one load of `rows` rows (at least 2 minutes, 20k rows/s floor). */
export function timeoutFor(rows: number): number {
  return Math.max(120_000, (rows / 20_000) * 1000);
}
