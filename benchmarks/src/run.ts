// The benchmark command: `node --conditions=source --import tsx benchmarks/src/run.ts [options]`
// (or `pnpm --filter @ferry/benchmarks run bench`). Builds the data, runs every case interleaved,
// prints the table and writes benchmarks/results/<date>.json. See benchmarks/README.md.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ALL_CASES, type BenchOptions, type CaseName } from './bench-config.js';
import { formatReport } from './bench-report.js';
import { runSession } from './bench-session.js';

const USAGE = `usage: run.ts [--rows 1000000[,5000000]] [--5m] [--runs 3] [--cases a,b,...] [--batch 1000]
              [--commit-every 100000] [--in-flight N] [--partitions N] [--no-install] [--out file.json | --no-out] [--quiet] [--profile dir]
cases: ${ALL_CASES.join(', ')}`;

function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rows: { type: 'string', default: '1000000' },
      '5m': { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      cases: { type: 'string', default: ALL_CASES.join(',') },
      batch: { type: 'string', default: '1000' },
      'commit-every': { type: 'string', default: '100000' },
      'in-flight': { type: 'string' },
      partitions: { type: 'string' },
      'no-install': { type: 'boolean', default: false },
      out: { type: 'string' },
      'no-out': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const sizes = values.rows.split(',').map(positive);
  if (values['5m'] && !sizes.includes(5_000_000)) sizes.push(5_000_000);
  const cases = values.cases.split(',').map((name) => {
    if (!(ALL_CASES as readonly string[]).includes(name)) throw new Error(`unknown case "${name}"\n${USAGE}`);
    return name as CaseName;
  });
  const date = new Date().toISOString().slice(0, 10);
  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  return {
    sizes,
    runs: positive(values.runs),
    cases,
    install: !values['no-install'],
    workDir: join(tmpdir(), 'ferry-bench'),
    resultFile: values['no-out'] ? undefined : (values.out ?? join(resultsDir, `${date}.json`)),
    batchSize: positive(values.batch),
    commitEvery: positive(values['commit-every']),
    verbose: !values.quiet,
    ...(values.profile === undefined ? {} : { profileDir: values.profile }),
    ...(values['in-flight'] === undefined ? {} : { maxInFlight: positive(values['in-flight']) }),
    ...(values.partitions === undefined ? {} : { partitions: positive(values.partitions) }),
  };
}

function positive(text: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`not a positive integer: ${text}\n${USAGE}`);
  return value;
}

const options = parseOptions(process.argv.slice(2));
const result = await runSession(options);
process.stdout.write(`${formatReport(result)}\n`);
if (options.resultFile !== undefined) process.stdout.write(`\nJSON: ${options.resultFile}\n`);
