// The built-in stages: map, filter, rebatch (split and merge by rows and bytes), tap and compose.

export { mapRows } from './map-rows-stage.js';
export { filterRows } from './filter-rows-stage.js';
export { rebatch } from './rebatch-stage.js';
export type { RebatchOptions } from './rebatch-stage.js';
export { tap } from './tap-stage.js';
export { compose } from './compose-stages.js';
export { named } from './stage-name.js';
export { estimateRowBytes } from './row-bytes.js';
