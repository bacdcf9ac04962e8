// V8's young generation (new space) starts at 1 MB per semi-space and doubles, up to 16 MB, while
// objects survive its scavenges; it is never given back. Ferry's start-up (modules, config, catalog,
// mapping, model check) grew it to 2 × 16 MB before a row moved, and row-heavy entities do the same,
// so a run moving large Binary Data values (little JS heap, many large Buffers) carried 32 MB of
// committed, empty heap. Start-up now runs with it held small; a run lets it grow to 2 × 8 MB at most
// (a 112k-row run: 2.46 CPU s against 2.40 uncapped, within the noise; README, "Memory").

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Keeps the young generation at its current size from now on (V8's `--semi-space-growth-factor=1`,
 * which V8 reads each time it would grow it). `bin.ts` calls it first, before the CLI's modules load.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Lets the young generation grow again as V8 decides (its default factor, 2): held at 1 MB while many
 * rows flow, its scavenges cost about a tenth more CPU (a 112k-row run: 1.98 against 1.82 s).
 */
export function letYoungGenerationGrow(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}

/** New-space size (both semi-spaces, bytes) at which a run stops its growth: 16 MiB. */
export const RUN_NEW_SPACE_BYTES = 16 * 1024 * 1024;

/**
 * Stops the young generation's growth once it holds {@link RUN_NEW_SPACE_BYTES} or more (it may have
 * doubled once more between two calls). `run` calls it on each runner event: a few microseconds.
 */
export function capYoungGeneration(): void {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (space !== undefined && space.space_size >= RUN_NEW_SPACE_BYTES) keepYoungGenerationSmall();
}
