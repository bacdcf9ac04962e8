// The README's "five-minute tour" is code users copy first: this test takes the TypeScript block from
// the README as it is and type-checks it against the packages' current API (strict settings of the
// repository), so a renamed option or a changed signature fails here instead of in a user's editor.
// Running it needs a SQL Server (the tour reads O11 there); the example beside it runs the same calls.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string | undefined;

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** The first ```ts block after the tour's heading. */
function tourCode(readme: string): string {
  const heading = readme.indexOf('## A five-minute tour of the library');
  expect(heading, 'the README has no tour heading').toBeGreaterThan(-1);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(heading));
  expect(match, 'the tour has no ts block').not.toBeNull();
  return match![1]!;
}

it('the README tour type-checks against the current API', async () => {
  const code = tourCode(await readFile(join(root, 'README.md'), 'utf8'));
  expect(code).toContain("from '@ferry/core'");
  // Inside examples/ so the workspace packages and their types resolve as they do for the examples.
  dir = await mkdtemp(join(root, 'examples', '.tour-'));
  await writeFile(join(dir, 'tour.ts'), `${code}\nexport {};\n`);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: '../tsconfig.json', include: ['tour.ts'] }),
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: root }).then(
    () => ({ ok: true, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({
      ok: false,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
  expect(result.output).toBe('');
  expect(result.ok).toBe(true);
}, 120_000);
