// StrykerJS over one target at a time (scripts/mutation/run.sh picks it with MUTATION_TARGET). Not in
// CI: it is slow. Each target mutates its own files and runs only its own package's tests.
// The targets are scoped to the code where a surviving mutant matters most and that a 2-core machine can
// get through in minutes: the runner's accounting and commit path, the mapping's exact decimals, and the
// COPY encoding. `*-all` targets mutate the whole package (hours on such a machine).
const coreTests = {
  tests: ['packages/core/test/**/*.test.ts'],
  // These two spawn child processes on a transpiled copy of core, so they test no mutant and only
  // time out under instrumentation.
  exclude: ['packages/core/test/file-checkpoint-crash.test.ts', 'packages/core/test/heap-bounded.test.ts'],
};
const mappingTests = { tests: ['packages/mapping/test/**/*.test.ts'] };
const targets = {
  core: {
    ...coreTests,
    mutate: [
      'packages/core/src/runner/checkpoint-tracker.ts',
      'packages/core/src/stages/filter-rows-stage.ts',
    ],
  },
  'core-all': {
    ...coreTests,
    mutate: ['packages/core/src/**/*.ts', '!packages/core/src/testing/**', '!packages/core/src/**/index.ts'],
  },
  mapping: {
    ...mappingTests,
    mutate: ['packages/mapping/src/decimal-convert.ts', 'packages/mapping/src/decimal-math.ts'],
  },
  'mapping-all': {
    ...mappingTests,
    mutate: ['packages/mapping/src/**/*.ts', '!packages/mapping/src/**/index.ts'],
  },
  postgres: {
    mutate: [
      'packages/adapters/src/postgres/copy-encoder.ts',
      'packages/adapters/src/postgres/copy-row-encoder.ts',
      'packages/adapters/src/postgres/identifiers.ts',
    ],
    tests: [
      'packages/adapters/test/postgres-copy-encoder.test.ts',
      'packages/adapters/test/postgres-identifiers.test.ts',
    ],
  },
  'postgres-write': {
    mutate: [
      'packages/adapters/src/postgres/postgres-sink.ts',
      'packages/adapters/src/postgres/tx-writers.ts',
      'packages/adapters/src/postgres/copy-in.ts',
      'packages/adapters/src/postgres/postgres-transaction.ts',
      'packages/adapters/src/postgres/failing-row.ts',
    ],
    // Every adapters test file that drives the PostgreSQL write path and takes seconds, not minutes
    // (the volume test, 200k rows, is left out: slow under instrumentation).
    tests: [
      'packages/adapters/test/postgres-sink.integration.test.ts',
      'packages/adapters/test/postgres-write-faults.integration.test.ts',
      'packages/adapters/test/postgres-conformance.integration.test.ts',
      'packages/adapters/test/postgres-sink-run.integration.test.ts',
      'packages/adapters/test/postgres-failing-row.integration.test.ts',
      'packages/adapters/test/postgres-types.integration.test.ts',
      'packages/adapters/test/postgres-errors.test.ts',
      'packages/adapters/test/postgres-stores.integration.test.ts',
      'packages/adapters/test/postgres-sink-release.integration.test.ts',
      'packages/adapters/test/postgres-binary-pieces.integration.test.ts',
      'packages/adapters/test/postgres-copy-in.integration.test.ts',
      'packages/adapters/test/postgres-failing-row-search.integration.test.ts',
      'packages/adapters/test/postgres-tx-writers.integration.test.ts',
      'packages/adapters/test/postgres-upsert-merge.integration.test.ts',
      'packages/adapters/test/postgres-transaction.integration.test.ts',
    ],
    // A mutant that hangs a COPY waits for this; the files' own tests take well under a second each.
    timeoutMS: 5_000,
  },
};

// `target:file` mutates only the target's file named `file.ts`, with its own report, so a slow target
// can be run file by file: Stryker writes its results only when a run ends.
const [name = '', part] = (process.env.MUTATION_TARGET ?? '').split(':');
const whole = targets[name];
if (whole === undefined)
  throw new Error(`MUTATION_TARGET must be one of ${Object.keys(targets).join(', ')} (or target:file)`);
const target =
  part === undefined ? whole : { ...whole, mutate: whole.mutate.filter((f) => f.endsWith(`/${part}.ts`)) };
if (target.mutate.length === 0) throw new Error(`${name} mutates no file named ${part}.ts`);
const report = part === undefined ? name : `${name}.${part}`;
process.env.MUTATION_TESTS = target.tests.join(',');
process.env.MUTATION_EXCLUDE = (target.exclude ?? []).join(',');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'scripts/mutation/vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: target.mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: target.timeoutMS ?? 20_000,
  incremental: true,
  incrementalFile: `reports/mutation/${report}.incremental.json`,
  reporters: ['clear-text', 'json', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // One sandbox folder per target, so two targets can run at once without copying each other.
  tempDirName: `.stryker-tmp-${report}`,
  ignorePatterns: ['.stryker-tmp*', 'reports'],
  cleanTempDir: 'always',
};
