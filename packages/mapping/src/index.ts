// @ferry/mapping: O11 → ODC entity mapping.
export type * from './catalog.js';
export type * from './target.js';
