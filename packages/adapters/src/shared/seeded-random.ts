// One seeded generator for everything that must replay the same "random" run: the sample O11
// database (same seed, same rows on every dialect) and the fake ODC app's faults.

/**
 * mulberry32: a tiny seeded PRNG giving uniform floats in [0, 1). Not for security, only reproducibility.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // the same first value for seed 42 on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
