// V8's young generation (new space) starts at 1 MB per semi-space and doubles, up to 16 MB, while
// objects survive its scavenges. Ferry's start-up (modules, config, catalog, mapping, model check)
// makes them survive, so before a row moved the new space held 32 MB, committed and resident for the
// rest of the process although a run moving large Binary Data values then allocates little JS heap.
// The start-up therefore runs with the young generation held small, and each command lets it grow
// again when its own work starts (a row-heavy entity still grows it; see the README, "Memory").

import { setFlagsFromString } from 'node:v8';

/**
 * Keeps the young generation at its current size from now on (V8's `--semi-space-growth-factor=1`,
 * which V8 reads each time it would grow it). `bin.ts` calls it first, before the CLI's modules load.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Lets the young generation grow again as V8 decides (its default factor, 2): held small while many
 * rows flow, its scavenges cost about a tenth more CPU (a 112k-row run: 1.98 against 1.82 s).
 */
export function letYoungGenerationGrow(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}
