// The vitest config of the mutation runs (scripts/mutation/run.sh): the workspace config, with the test
// files narrowed to the package under mutation (MUTATION_TESTS and MUTATION_EXCLUDE, comma-separated
// globs), so a Stryker dry run does not start the crash, e2e and CLI suites.
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

const include = (process.env.MUTATION_TESTS ?? '').split(',').filter((glob) => glob.length > 0);
const exclude = (process.env.MUTATION_EXCLUDE ?? '').split(',').filter((glob) => glob.length > 0);
if (include.length === 0) throw new Error('MUTATION_TESTS is empty: run scripts/mutation/run.sh');

// Not mergeConfig: it would append to the base `include` instead of replacing it.
export default defineConfig({
  ...base,
  test: { ...base.test, include, exclude: [...exclude, '**/node_modules/**'] },
});
