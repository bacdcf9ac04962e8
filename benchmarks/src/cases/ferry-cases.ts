// Ferry's cases: (e) the exactly-once COPY path, (f) the upsert path, and (g) a resumed run: the first
// half is loaded and aborted while preparing (untimed), then only the resumed half is measured, so its
// time and WAL stand beside a fresh run's.

import { snakeCase } from '@ferry/mapping';
import type { BenchColumn } from '../bench-shape.js';
import type { CaseSummary } from '../bench-summary.js';
import type { TargetColumnRef } from '../load-verify.js';
import type { RunRecord } from '../measure-case.js';
import { freshSchema } from '../pg-target.js';
import type { BenchCase, CaseContext } from './case-types.js';
import type { ChildArgs } from './child-env.js';
import { runNodeChild } from './node-child.js';

const TABLE = 'orderrow';
const runIds = new Map<string, string>();

function args(context: CaseContext, schema: string, extra: Partial<ChildArgs>): ChildArgs {
  const inFlight = context.options.maxInFlight;
  const partitions = context.options.partitions;
  return {
    schema,
    table: TABLE,
    batchSize: context.options.batchSize,
    commitEvery: context.options.commitEvery,
    ...(inFlight === undefined ? {} : { maxInFlight: inFlight }),
    ...(partitions === undefined ? {} : { partitions }),
    ...extra,
  };
}

/** Ferry's child creates the table from the mapping; the parent only empties the schema. */
async function prepareTarget(context: CaseContext, schema: string): Promise<void> {
  await freshSchema(context.pg, schema);
}

/**
 * Target columns are the mapping's snake_case attribute names. The user reference became an ODC user
 * id (text); the benchmark's ODC ids end in the O11 id (see odcUserId), so it is checked by that.
 */
export const ferryColumns = (c: BenchColumn): TargetColumnRef =>
  c.o11Type === 'user'
    ? { name: snakeCase(c.attribute), render: (q) => `coalesce(ltrim(right(${q}::text, 12), '0'), '~')` }
    : { name: snakeCase(c.attribute) };

function ferryCase(
  name: 'ferry-copy' | 'ferry-upsert' | 'ferry-copy-p2' | WorkersCaseName,
  mode: 'copy' | 'upsert',
  description: string,
  partitions?: number,
  workers?: number,
): BenchCase {
  const schema = `bench_${name.replaceAll('-', '_')}`;
  return {
    name,
    description,
    prepare: (context) => prepareTarget(context, schema),
    execute: (context) =>
      runNodeChild(
        context,
        workers === undefined ? 'ferry-load.ts' : 'ferry-workers.ts',
        args(context, schema, {
          mode,
          runId: `bench-${name}-${Date.now()}`,
          ...(partitions === undefined ? {} : { partitions }),
          ...(workers === undefined
            ? {}
            : {
                workers,
                partitions: context.options.partitions ?? WORKER_PARTITIONS,
                distributed: { pollSeconds: 0.25 },
              }),
        }),
      ),
    target: () => ({ schema, table: TABLE, columns: ferryColumns }),
  };
}

/** (e) exactly-once COPY: rows and checkpoint in one transaction. */
export const ferryCopyCase = ferryCase(
  'ferry-copy',
  'copy',
  'Ferry exactly-once: COPY + checkpoint in one transaction',
);
/**
 * (e2) exactly-once COPY with the table split into 2 key ranges run at once, whatever `--partitions`
 * says, so one session compares one stream with two on the same machine.
 */
export const ferryCopyP2Case = ferryCase(
  'ferry-copy-p2',
  'copy',
  'Ferry exactly-once, 2 key-range partitions at once',
  2,
);
/** (f) upsert: COPY into staging, INSERT ... ON CONFLICT, checkpoint in the same transaction. */
export const ferryUpsertCase = ferryCase(
  'ferry-upsert',
  'upsert',
  'Ferry upsert: staging COPY + INSERT ON CONFLICT',
);

/** The distributed cases: 1, 2 and 4 worker processes. */
export type WorkersCaseName = 'ferry-workers-1' | 'ferry-workers-2' | 'ferry-workers-4';

/**
 * Key ranges of the distributed cases (unless `--partitions`): one job each, 8 so that 1, 2 and 4
 * workers get equal shares.
 */
export const WORKER_PARTITIONS = 8;

/** (h) the table as key-range jobs on pg-boss, taken by `workers` worker processes. */
export function ferryWorkersCase(workers: 1 | 2 | 4): BenchCase {
  return ferryCase(
    `ferry-workers-${workers}`,
    'copy',
    `Ferry distributed: key-range jobs on pg-boss, ${workers} worker process${workers === 1 ? '' : 'es'}`,
    undefined,
    workers,
  );
}

const RESUME_SCHEMA = 'bench_ferry_resume';

/** (g) resume: half loaded and aborted (untimed), then the resumed half measured. */
export const ferryResumeCase: BenchCase = {
  name: 'ferry-resume',
  description: 'Ferry resuming an aborted run at ~50% (only the resumed part is timed)',
  async prepare(context) {
    await prepareTarget(context, RESUME_SCHEMA);
    const runId = `bench-resume-${Date.now()}`;
    runIds.set(String(context.round), runId);
    const first = await runNodeChild(
      context,
      'ferry-load.ts',
      args(context, RESUME_SCHEMA, { runId, abortAt: 0.5 }),
    );
    if (first.error !== undefined) throw new Error(`first half: ${first.error}`);
  },
  execute: (context) =>
    runNodeChild(
      context,
      'ferry-load.ts',
      args(context, RESUME_SCHEMA, { runId: runIds.get(String(context.round))! }),
    ),
  target: () => ({ schema: RESUME_SCHEMA, table: TABLE, columns: ferryColumns }),
};

/** The resume case beside a fresh exactly-once run, in one sentence for the report. */
export function resumeComparison(
  summaries: readonly CaseSummary[],
  records: readonly RunRecord[],
): string | undefined {
  const resume = summaries.find((s) => s.case === 'ferry-resume');
  const fresh = summaries.find((s) => s.case === 'ferry-copy');
  if (resume?.medianSeconds === null || resume === undefined || fresh === undefined) return undefined;
  const resumed = records.find((r) => r.case === 'ferry-resume' && r.error === undefined);
  const f = (v: number | null, d: number): string => (v === null ? 'n/a' : v.toFixed(d));
  return (
    `Resume: the resumed part wrote ${resumed?.rows.toLocaleString('en') ?? '?'} rows in ${f(resume.medianSeconds, 2)} s ` +
    `with ${f(resume.medianWalMb, 0)} MB WAL; a fresh run of all rows took ${f(fresh.medianSeconds, 2)} s ` +
    `with ${f(fresh.medianWalMb, 0)} MB WAL (no range replayed: WAL ratio ${f(ratio(resume.medianWalMb, fresh.medianWalMb), 2)}).`
  );
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}
