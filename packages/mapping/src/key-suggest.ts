// Did-you-mean for a misspelt key: the closest of the keys allowed at that place, by edit distance
// (fastest-levenshtein), compared without case so `batchsize` finds `batchSize`. Only close matches
// are offered: a far-off guess is worse than none.

import { distance } from 'fastest-levenshtein';

/** The largest edit distance offered for a name of `length` characters (a swap of two letters is 2). */
function tolerance(length: number): number {
  return length <= 3 ? 1 : length <= 10 ? 2 : 3;
}

/**
 * The allowed key closest to `name`, or `undefined` when none is close (case-insensitive edit distance
 * at most 1 for names up to 3 characters, 2 up to 10, 3 beyond). Ties go to the first in `allowed`.
 *
 * @example
 * ```ts
 * suggestKey('batchsize', ['batchSize', 'batchBytes']); // 'batchSize'
 * suggestKey('colour', ['batchSize']); // undefined
 * ```
 */
export function suggestKey(name: string, allowed: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: { readonly key: string; readonly cost: number } | undefined;
  for (const key of allowed) {
    if (key === name) continue;
    const cost = distance(wanted, key.toLowerCase());
    if (cost <= tolerance(name.length) && (best === undefined || cost < best.cost)) best = { key, cost };
  }
  return best?.key;
}

/** The keys an ajv `additionalProperties` error's schema allows (needs ajv's `verbose: true`). */
export function allowedKeysOf(parentSchema: unknown): readonly string[] {
  if (typeof parentSchema !== 'object' || parentSchema === null) return [];
  const properties = (parentSchema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}
