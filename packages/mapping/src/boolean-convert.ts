// Boolean: SQL Server bit arrives as true/false (mssql), 1/0 (other drivers, ODBC dumps) or '1'/'0',
// 'true'/'false' (CSV, JSON). All become a JS boolean; anything else is a type failure.

import { typeFailure, type Converter } from './convert-types.js';

const TRUE_TEXT = new Set(['1', 'true', 't', 'yes', 'y']);
const FALSE_TEXT = new Set(['0', 'false', 'f', 'no', 'n']);

/** Reads a boolean from a bit, number, bigint, string or one-byte buffer; undefined otherwise. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'bigint') return value === 1n ? true : value === 0n ? false : undefined;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    return TRUE_TEXT.has(text) ? true : FALSE_TEXT.has(text) ? false : undefined;
  }
  if (value instanceof Uint8Array && value.length === 1) return toBoolean(value[0]);
  return undefined;
}

/** A Boolean converter. */
export function booleanConverter(): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    const result = toBoolean(value);
    return result === undefined ? typeFailure('a boolean (bit, 0/1, "true"/"false")', value) : result;
  };
}
