// How a Node child of the benchmark is started: from compiled JavaScript (benchmarks/dist, the `bench`
// script) a child is plain `node file.js` resolving @ferry/* to the packages' dist, with no tsx in the
// child, whose loader alone adds ~30 MB of RSS; from TypeScript (tests, `--import tsx src/run.ts`),
// children use tsx and the `source` condition.

import { fileURLToPath } from 'node:url';

const COMPILED = import.meta.url.endsWith('.js');

/** `tsx` when the children run from TypeScript, else `node`. */
export const CHILD_LOADER = COMPILED ? 'node' : 'tsx';

/** The `node` arguments that run `script`, a file of this folder named as in src (`hand-copy.ts`). */
export function childCommand(script: string): string[] {
  const file = COMPILED ? script.replace(/\.ts$/, '.js') : script;
  const path = fileURLToPath(new URL(file, import.meta.url));
  return COMPILED ? [path] : ['--conditions=source', '--import', 'tsx', path];
}
