// The young-generation switch of `bin.ts` and `run` (issue 14, case 9): in a fresh Node process, V8's
// new space stays at its start size under surviving allocations after keepYoungGenerationSmall, grows
// again after letYoungGenerationGrow, and stops at RUN_NEW_SPACE_BYTES with capYoungGeneration called
// along the way. Each case runs in its own child process: the test runner's own heap has long grown.

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RUN_NEW_SPACE_BYTES } from '../src/cli/young-generation.js';

const run = promisify(execFile);
const MODULE = pathToFileURL(resolve(import.meta.dirname, '../src/cli/young-generation.ts')).href;
const TSX = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/**
 * New-space size (bytes) before and after allocating ~200 MB of which a share survives scavenges, with
 * the young generation kept small, let grow, or let grow and capped every 1,000 allocations.
 */
async function newSpaceGrowth(mode: 'small' | 'grow' | 'capped') {
  const script = `
import { getHeapSpaceStatistics } from 'node:v8';
import * as young from ${JSON.stringify(MODULE)};
young.keepYoungGenerationSmall();
${mode === 'small' ? '' : 'young.letYoungGenerationGrow();'}
const size = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const before = size();
const kept = [];
for (let i = 0; i < 2_000_000; i++) {
  const o = { i, s: 'x' + i, a: [i, i + 1] };
  if (i % 4 === 0) kept.push(o);
  if (kept.length > 50_000) kept.length = 0;
  ${mode === 'capped' ? 'if (i % 1000 === 0) young.capYoungGeneration();' : ''}
}
console.log(JSON.stringify({ before, after: size() }));
`;
  const { stdout } = await run(process.execPath, ['--import', TSX, '--input-type=module', '-e', script]);
  return JSON.parse(stdout) as { before: number; after: number };
}

describe('young generation', () => {
  it('stays at its start size once kept small', async () => {
    const { before, after } = await newSpaceGrowth('small');
    expect(after).toBeLessThanOrEqual(before);
  }, 60_000);

  it('grows to RUN_NEW_SPACE_BYTES, at most one doubling more, when capped along the way', async () => {
    const { after } = await newSpaceGrowth('capped');
    expect(after).toBeGreaterThanOrEqual(RUN_NEW_SPACE_BYTES);
    expect(after).toBeLessThan(2 * RUN_NEW_SPACE_BYTES);
  }, 60_000);

  it('grows again once let grow', async () => {
    const { before, after } = await newSpaceGrowth('grow');
    expect(after).toBeGreaterThan(before);
  }, 60_000);
});
