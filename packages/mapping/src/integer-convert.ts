// Integer (int), Long Integer (bigint) and integer identifiers. Long Integers stay exact beyond 2^53:
// they travel as bigint or decimal strings; a JS number above 2^53 is refused (the driver already
// lost digits, so Ferry says so instead of loading a wrong id).

import { ConversionFailure, typeFailure, type Converter } from './convert-types.js';

const INTEGER_TEXT = /^[+-]?\d+$/;
/** Canonical integer text of at most 18 digits: always within 64 bits, kept as it is. */
const CANONICAL_LONG = /^-?(?:0|[1-9]\d{0,17})$/;
const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** Reads an integer exactly from a number, bigint, integer string or boolean; undefined otherwise. */
export function toBigInt(value: unknown): bigint | undefined | ConversionFailure {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    if (!Number.isSafeInteger(value)) {
      return new ConversionFailure(
        'unsafe-number',
        'integer arrived as a JS number beyond 2^53 and may have lost digits; configure the driver to return bigint or strings',
      );
    }
    return BigInt(value);
  }
  if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

function rangeFailure(kind: string): ConversionFailure {
  return new ConversionFailure('range', `value is outside the ${kind} range`);
}

/** Integer (SQL Server int, PostgreSQL integer): out comes a JS number. */
export function integerConverter(): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isInteger(value)) {
      return value >= -2147483648 && value <= 2147483647 ? value : rangeFailure('Integer (32-bit)');
    }
    const big = toBigInt(value);
    if (big instanceof ConversionFailure) return big;
    if (big === undefined) return typeFailure('an integer', value);
    return big >= INT32_MIN && big <= INT32_MAX ? Number(big) : rangeFailure('Integer (32-bit)');
  };
}

/** Long Integer (bigint): out comes a canonical decimal string (default) or a bigint. */
export function longIntegerConverter(as: 'string' | 'bigint'): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    // Fast path: the text a database CAST gives is already the canonical string.
    if (as === 'string' && typeof value === 'string' && CANONICAL_LONG.test(value))
      return value === '-0' ? '0' : value;
    const big = toBigInt(value);
    if (big instanceof ConversionFailure) return big;
    if (big === undefined) return typeFailure('a Long Integer', value);
    if (big < INT64_MIN || big > INT64_MAX) return rangeFailure('Long Integer (64-bit)');
    return as === 'bigint' ? big : big.toString();
  };
}
