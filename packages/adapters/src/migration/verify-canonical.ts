// One canonical text per value and target column type, reached from both sides of a verification: the
// mapped source value (a Ferry Value) and PostgreSQL's text output of the stored value. Equal data
// gives equal text whatever the form: 12.50 vs 12.5, 10:00:00.000 vs 10:00:00, T vs space, Z suffix.

import type { Value } from '@ferry/core';
import type { TargetType } from '@ferry/mapping';

/** A canonical value: text, or null for SQL NULL. */
export type CanonicalValue = string | null;

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;
const CLOCK = /^(\d\d:\d\d:\d\d)(?:\.(\d+))?/;
const DATE_PREFIX = /^\d{4}-\d\d-\d\d[T ]/;

/** `-007.2500` → `-7.25`, `0.000` → `0`; anything unparseable is kept, marked, so it never matches. */
export function canonicalDecimal(text: string): string {
  const match = DECIMAL.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) return `?${text}`;
  const whole = match[2]!.replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (whole === '0' && fraction === '') return '0';
  return `${match[1] === '-' ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

function canonicalInteger(value: Value): string {
  try {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
      return BigInt(typeof value === 'string' ? value.trim() : value).toString();
  } catch {
    // fall through: not an integer
  }
  return `?${String(value)}`;
}

/** `HH:MM:SS[.fff]` with the fraction's trailing zeros (and a bare dot) removed. */
function canonicalClock(text: string): string {
  const match = CLOCK.exec(text);
  if (match === null) return `?${text}`;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction === '' ? match[1]! : `${match[1]!}.${fraction}`;
}

function canonicalTimestamp(text: string): string {
  const trimmed = text.trim().replace(/(?:Z|[+-]00(?::?00)?)$/, '');
  const date = trimmed.slice(0, 10);
  return `${date} ${canonicalClock(trimmed.slice(11))}`;
}

function isoOf(date: Date): string {
  return Number.isNaN(date.getTime()) ? '?invalid' : date.toISOString();
}

function hexOf(value: Value): string {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  const text = String(value);
  return text.startsWith('\\x') ? text.slice(2).toLowerCase() : `?${text}`;
}

function booleanOf(value: Value): string {
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) === 0 ? 'f' : 't';
  const text = String(value).trim().toLowerCase();
  if (['t', 'true', '1', 'y', 'yes', 'on'].includes(text)) return 't';
  if (['f', 'false', '0', 'n', 'no', 'off'].includes(text)) return 'f';
  return `?${text}`;
}

/**
 * The canonical text of a value for a column of `type`. Works on mapped source values and on
 * PostgreSQL text output (`t`/`f`, `\x..` bytea, ISO DateStyle) alike. `Date` objects are read in UTC,
 * as the PostgreSQL sink writes them.
 */
export function canonicalValue(value: Value | undefined, type: TargetType): CanonicalValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'bigint':
      return canonicalInteger(value);
    case 'numeric':
      return canonicalDecimal(String(value));
    case 'boolean':
      return booleanOf(value);
    case 'bytea':
      return hexOf(value);
    case 'date':
      return (value instanceof Date ? isoOf(value) : String(value)).slice(0, 10);
    case 'time': {
      const text = value instanceof Date ? isoOf(value).slice(11) : String(value);
      return canonicalClock(DATE_PREFIX.test(text) ? text.slice(11) : text);
    }
    case 'timestamp':
      return canonicalTimestamp(value instanceof Date ? isoOf(value) : String(value));
    case 'uuid':
      // PostgreSQL prints a uuid in lower case, whatever case it was given in.
      return String(value).toLowerCase();
    default:
      return value instanceof Uint8Array
        ? hexOf(value)
        : value instanceof Date
          ? isoOf(value)
          : String(value);
  }
}
