// JSON-safe values. Positions and checkpoints are stored as JSON, so everything in them must survive
// JSON.stringify/parse unchanged: 64-bit integers and decimals travel as strings, never as numbers.

/** A value that round-trips through `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
