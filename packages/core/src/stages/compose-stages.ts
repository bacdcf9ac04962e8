// compose: several stages as one, applied left to right. Lazy like its parts: nothing is read until
// the composed output is pulled.

import type { Stage } from '../stage.js';
import { named } from './stage-name.js';

/**
 * Compose stages left to right into one stage.
 *
 * @example
 * ```ts
 * const stage = compose(filterRows(isActive), mapRows(toTarget), rebatch({ rows: 5000 }));
 * ```
 */
export function compose<A, B>(s1: Stage<A, B>): Stage<A, B>;
export function compose<A, B, C>(s1: Stage<A, B>, s2: Stage<B, C>): Stage<A, C>;
export function compose<A, B, C, D>(s1: Stage<A, B>, s2: Stage<B, C>, s3: Stage<C, D>): Stage<A, D>;
export function compose<A, B, C, D, E>(
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
  s4: Stage<D, E>,
): Stage<A, E>;
export function compose<R>(...stages: readonly Stage<R, R>[]): Stage<R, R>;
export function compose(...stages: readonly Stage<unknown, unknown>[]): Stage<unknown, unknown> {
  const label = `compose(${stages.map((stage) => stage.name || 'stage').join(', ')})`;
  return named(label, (input, context) =>
    stages.reduce((iterable, stage) => stage(iterable, context), input),
  );
}
