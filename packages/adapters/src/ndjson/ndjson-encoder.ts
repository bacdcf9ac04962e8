// Rows as NDJSON lines, values kept exact: 64-bit integers (bigint) and decimals travel as strings,
// binary as base64, dates as ISO strings. Built by string appends with a key cache, no intermediate
// objects, because an export writes every row.

import { FerryError } from '@ferry/core';
import type { Row, Value } from '@ferry/core';

const keys = new Map<string, string>();

/** The JSON text of one value: bigint → `"123"`, bytes → base64 string, Date → ISO string. */
export function encodeJsonValue(value: Value | undefined): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalid('a number is not finite (NaN or Infinity)');
      return String(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      if (value === null) return 'null';
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw invalid('a date-time is invalid');
        return `"${value.toISOString()}"`;
      }
      return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  }
}

/**
 * One row as one NDJSON line (with the trailing newline). `columns` fixes which attributes are written
 * and their order (missing ones as null); without it every attribute of the row is written.
 */
export function encodeNdjsonRow(row: Row, columns?: readonly string[]): string {
  let out = '{';
  let first = true;
  const names = columns ?? Object.keys(row);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let key = keys.get(name);
    if (key === undefined) {
      key = JSON.stringify(name) + ':';
      if (keys.size < 10_000) keys.set(name, key);
    }
    let encoded: string;
    try {
      encoded = encodeJsonValue(row[name]);
    } catch (error) {
      throw new FerryError(`attribute ${name}: ${(error as Error).message}`, {
        code: 'FERRY_NDJSON_ENCODE',
        reason: 'invalid-data',
        attribute: name,
        cause: error,
      });
    }
    out += (first ? '' : ',') + key + encoded;
    first = false;
  }
  return out + '}\n';
}

function invalid(message: string): FerryError {
  return new FerryError(message, {
    code: 'FERRY_NDJSON_ENCODE',
    reason: 'invalid-data',
    operation: 'encode',
  });
}
