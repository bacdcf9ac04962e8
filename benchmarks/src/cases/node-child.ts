// Runs a Node load (naive knex, hand-written COPY, Ferry) in its own process, so its peak RSS and CPU
// are its own, and turns the child's report into a case outcome.

import { withDatabase } from '../bench-config.js';
import { runTimed } from '../timed-process.js';
import type { CaseContext, CaseOutcome } from './case-types.js';
import { CHILD_LOADER, childCommand } from './child-command.js';
import type { ChildArgs } from './child-env.js';
import { timeoutFor } from './psql-copy.js';

/** Run `script` (a file of this folder, e.g. `hand-copy.ts`) with `args`; the outcome it reported. */
export async function runNodeChild(
  context: CaseContext,
  script: string,
  args: ChildArgs,
): Promise<CaseOutcome> {
  const env = {
    ...process.env,
    FERRY_BENCH_SOURCE_URL: withDatabase(context.connections.mariadbServer, context.sourceDatabase),
    FERRY_BENCH_TARGET_URL: withDatabase(context.connections.pgServer, context.connections.pgDatabase),
  };
  const dir = context.options.profileDir;
  const profile = dir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', dir];
  const run = await runTimed(process.execPath, [...profile, ...childCommand(script), JSON.stringify(args)], {
    workDir: context.options.workDir,
    timeoutMs: timeoutFor(context.rows) * 3,
    env,
  });
  if (run.child === undefined || run.exitCode !== 0) {
    const reason = run.timedOut ? 'timed out' : `exit ${String(run.exitCode)}`;
    return {
      rows: run.child?.rows ?? 0,
      seconds: run.wallS,
      peakRssKb: run.maxRssKb,
      cpuProcessS: run.cpuS,
      error: `${script} ${reason}: ${run.stderr.trim().split('\n').slice(-5).join(' | ').slice(-600)}`,
    };
  }
  return {
    rows: run.child.rows,
    seconds: run.child.loadMs / 1000,
    peakRssKb: run.child.peakRssKb,
    cpuProcessS: run.child.cpuMs / 1000,
    details: {
      processWallS: run.wallS,
      processCpuS: run.cpuS,
      loader: CHILD_LOADER,
      ...run.child.details,
    },
  };
}
