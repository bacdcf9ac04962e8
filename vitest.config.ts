// One vitest config for the workspace. Tests import `@ferry/*` through the `source` export condition,
// so they run against the TypeScript sources without a prior build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'benchmarks/**/*.test.ts'],
    testTimeout: 60_000,
    // Fixture drops (DROP DATABASE … WITH (FORCE)) timed out at 60 s while the shared PostgreSQL ran
    // 150–270 s checkpoints after a multi-GB benchmark load.
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
