// @ferry/adapters/ndjson: an NDJSON file sink for dry runs and exports, values kept exact, resumable.

export { encodeJsonValue, encodeNdjsonRow } from './ndjson-encoder.js';
export { NdjsonOffsetIndex } from './ndjson-offset-index.js';
export type { NdjsonSinkOptions } from './ndjson-sink.js';
export { NdjsonSink, ndjsonSink } from './ndjson-sink.js';
