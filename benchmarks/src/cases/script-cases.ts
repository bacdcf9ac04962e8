// Baselines (c) and (d) as cases: the naive knex batchInsert script and the hand-written COPY script,
// each loading a fresh baseline table in its own process.

import { BASELINE_TABLE, createBaselineTable, freshSchema } from '../pg-target.js';
import { baselineColumns } from '../load-verify.js';
import type { BenchCase } from './case-types.js';
import { runNodeChild } from './node-child.js';

function scriptCase(
  name: 'naive-knex' | 'hand-copy',
  script: string,
  description: string,
  batch: number,
): BenchCase {
  const schema = `bench_${name.replace('-', '_')}`;
  return {
    name,
    description,
    async prepare(context) {
      await freshSchema(context.pg, schema);
      await createBaselineTable(context.pg, schema);
    },
    execute: (context) =>
      runNodeChild(context, script, {
        schema,
        table: BASELINE_TABLE,
        batchSize: batch,
        commitEvery: 100_000,
      }),
    target: () => ({ schema, table: BASELINE_TABLE, columns: baselineColumns }),
  };
}

/** (c) knex `batchInsert` in chunks of 1000, pages of 10k rows read by key. */
export const naiveKnexCase = scriptCase(
  'naive-knex',
  'naive-knex.ts',
  'naive knex batchInsert (1000-row INSERTs)',
  1000,
);

/** (d) one open COPY, 1000-row writes, commit every 100k rows. */
export const handCopyCase = scriptCase(
  'hand-copy',
  'hand-copy.ts',
  'hand-written Node: one open COPY, 1000-row writes, commit per 100k',
  1000,
);
