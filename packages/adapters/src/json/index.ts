// @ferry/adapters/json: a streaming source over JSON array and NDJSON files, one file per entity,
// resumable by byte offset, with numbers kept exact.

export { jsonSource } from './json-source.js';
export type { JsonSourceOptions } from './json-source.js';
export { jsonEntityFile, jsonEntitySource } from './json-entity-source.js';
export type { JsonEntitySourceOptions } from './json-entity-source.js';
export type { JsonArrayPosition, JsonFormat, NdjsonPosition } from './json-position.js';
export { JsonBoundaryScanner } from './json-boundary-scanner.js';
export type { ObjectEnd } from './json-boundary-scanner.js';
