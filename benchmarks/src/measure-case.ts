// Measures one run of one case: fresh target and CHECKPOINT (untimed), then the load with PostgreSQL
// and MariaDB CPU and WAL sampled around it, then verification of the target against the source.

import type { BenchCase, CaseContext, CaseOutcome } from './cases/case-types.js';
import { BENCH_COLUMNS } from './bench-shape.js';
import {
  compareDigests,
  sampleStep,
  targetDigest,
  type TableDigest,
  type Verification,
} from './load-verify.js';
import { checkpoint, walBytes, walLsn } from './pg-target.js';
import { postgresCpuSeconds, processCpuSeconds } from './proc-stats.js';

/** One measured run. */
export interface RunRecord {
  readonly case: string;
  readonly round: number;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly peakRssMb: number;
  readonly cpuProcessS: number;
  readonly cpuPostgresS: number;
  readonly cpuMariadbS: number;
  readonly walBytes: number;
  readonly verification?: Verification;
  readonly error?: string;
  readonly details?: Record<string, unknown>;
}

/** Server processes to sample and the source digest provider (cached per skipped-column set). */
export interface MeasureEnv {
  readonly postmasterPid: number;
  readonly mariadbPid: number | undefined;
  sourceDigest(skip: ReadonlySet<string>): Promise<TableDigest>;
}

/** Prepare, run and verify `benchCase` once. Failures become records with `error`, never throws. */
export async function measureCase(
  benchCase: BenchCase,
  context: CaseContext,
  env: MeasureEnv,
): Promise<RunRecord> {
  let outcome: CaseOutcome;
  let lsnBefore = '0/0';
  let pgBefore = Number.NaN;
  let mariaBefore = Number.NaN;
  try {
    await benchCase.prepare(context);
    await checkpoint(context.pg);
    lsnBefore = await walLsn(context.pg);
    pgBefore = postgresCpuSeconds(env.postmasterPid);
    mariaBefore = processCpuSeconds(env.mariadbPid);
    outcome = await benchCase.execute(context);
  } catch (error) {
    outcome = {
      rows: 0,
      seconds: Number.NaN,
      peakRssKb: Number.NaN,
      cpuProcessS: Number.NaN,
      error: message(error),
    };
  }
  const cpuPostgresS = postgresCpuSeconds(env.postmasterPid) - pgBefore;
  const cpuMariadbS = processCpuSeconds(env.mariadbPid) - mariaBefore;
  const wal = await walBytes(context.pg, lsnBefore, await walLsn(context.pg));
  const record = {
    case: benchCase.name,
    round: context.round,
    rows: outcome.rows,
    seconds: outcome.seconds,
    rowsPerSecond: outcome.error === undefined ? outcome.rows / outcome.seconds : Number.NaN,
    peakRssMb: outcome.peakRssKb / 1024,
    cpuProcessS: outcome.cpuProcessS,
    cpuPostgresS,
    cpuMariadbS,
    walBytes: wal,
    ...(outcome.details === undefined ? {} : { details: outcome.details }),
  };
  if (outcome.error !== undefined) return { ...record, error: outcome.error };
  try {
    const verification = await verify(benchCase, context, env);
    return verification.ok
      ? { ...record, verification }
      : {
          ...record,
          verification,
          rowsPerSecond: Number.NaN,
          error: `verification failed: ${verification.mismatches.join(', ')}`,
        };
  } catch (error) {
    return { ...record, rowsPerSecond: Number.NaN, error: `verification error: ${message(error)}` };
  }
}

async function verify(benchCase: BenchCase, context: CaseContext, env: MeasureEnv): Promise<Verification> {
  const target = benchCase.target(context);
  const skip = new Set(BENCH_COLUMNS.filter((c) => target.columns(c).skip === true).map((c) => c.column));
  const source = await env.sourceDigest(skip);
  return compareDigests(source, await targetDigest(context.pg, target, sampleStep(context.rows)));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
