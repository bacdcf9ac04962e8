// Stage labels: the runner names the stage that failed in its errors, and a stage is a plain function,
// so the built-in stages carry a readable function name.

import type { Stage } from '../stage.js';

/**
 * Give a stage a readable name for errors and logs (it becomes the function's `name`).
 *
 * @example
 * ```ts
 * const trim = named('trimNames', mapRows((row) => ({ ...row, Name: String(row.Name).trim() })));
 * ```
 */
export function named<I, O>(name: string, stage: Stage<I, O>): Stage<I, O> {
  Object.defineProperty(stage, 'name', { value: name, configurable: true });
  return stage;
}
