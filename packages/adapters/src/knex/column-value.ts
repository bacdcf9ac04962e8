// Normalisation of driver values into Ferry values, shared by the knex and SQL Server sources.
// Every driver answers differently (0/1 or true for booleans, Date or text for datetimes); this file
// turns them into one shape so a row read from MariaDB equals the same row read from PostgreSQL.

import type { Value } from '@ferry/core';
import type { ColumnKind } from './knex-column.js';

/** Which clock a driver used when it turned a zone-less datetime into a `Date`. */
export type DateClock = 'local' | 'utc';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats a `Date` as a naive `YYYY-MM-DDTHH:MM:SS[.fff]` string read on the given clock. */
export function formatNaiveDate(date: Date, clock: DateClock): string {
  const utc = clock === 'utc';
  const y = utc ? date.getUTCFullYear() : date.getFullYear();
  const parts = utc
    ? [
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours(),
        date.getUTCMinutes(),
        date.getUTCSeconds(),
      ]
    : [date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  const ms = utc ? date.getUTCMilliseconds() : date.getMilliseconds();
  const [mo, d, h, mi, s] = parts.map((part) => pad(part));
  const base = `${pad(y, 4)}-${mo}-${d}T${h}:${mi}:${s}`;
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`;
}

const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

function isDateText(text: string): boolean {
  return text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && digitsAt(text, DATE_DIGITS);
}

/** Whether `text` has a digit at each of `positions` (the separators are checked by the caller). */
function digitsAt(text: string, positions: readonly number[]): boolean {
  for (const i of positions) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

const DATE_TIME_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/**
 * Fast path for what a database CAST gives, `YYYY-MM-DD HH:MM:SS` with no fraction: only the space
 * becomes `T`. `undefined` for any other shape.
 */
function plainDateTimeText(text: string): string | undefined {
  if (text.length !== 19 || text.charCodeAt(10) !== 32) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  return digitsAt(text, DATE_TIME_DIGITS) ? `${text.slice(0, 10)}T${text.slice(11)}` : undefined;
}

/** `1900-01-01 10:00:00.000000` → `1900-01-01T10:00:00`; keeps a non-zero fraction. */
export function normalizeDateTimeText(text: string): string {
  const plain = plainDateTimeText(text);
  if (plain !== undefined) return plain;
  const trimmed = text.trim().replace(' ', 'T');
  const match = /^(.*?:\d\d)(?:\.(\d+))?$/.exec(trimmed);
  if (match === null) return trimmed;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction === '' ? (match[1] ?? trimmed) : `${match[1]}.${fraction}`;
}

function toText(value: unknown, clock: DateClock): string | undefined {
  if (typeof value === 'string') return normalizeDateTimeText(value);
  if (value instanceof Date) return formatNaiveDate(value, clock);
  return undefined;
}

function normalizeTemporal(value: unknown, kind: 'date' | 'time' | 'datetime', clock: DateClock): Value {
  // A date CAST to text (`YYYY-MM-DD`) is already what the general path below would return.
  if (kind === 'date' && typeof value === 'string' && value.length === 10 && isDateText(value)) return value;
  const text = toText(value, clock);
  if (text === undefined) return value as Value;
  if (kind === 'date') return text.slice(0, 10);
  if (kind === 'time') return text.includes('T') ? text.slice(text.indexOf('T') + 1) : text;
  return text.length === 10 ? `${text}T00:00:00` : text;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function normalizeExactNumber(value: unknown): Value {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    // Reached only when a driver ignored the text cast; a safe integer is still exact.
    if (Number.isSafeInteger(value)) return String(value);
    throw new RangeError('an exact number column came back as an unsafe JavaScript number');
  }
  if (typeof value !== 'string') return value as Value;
  // Fast path: starts with a digit (or `-` and a digit) and ends with one, so there is nothing to trim
  // and no leading point to complete: what every database's CAST to text gives.
  const first = value.charCodeAt(0) === 45 ? 1 : 0;
  if (isDigit(value.charCodeAt(first)) && isDigit(value.charCodeAt(value.length - 1))) return value;
  // Oracle TO_CHAR writes ".5"; canonical decimals always have a leading digit.
  return value.trim().replace(/^(-?)\./, '$10.');
}

function normalizeBoolean(value: unknown): Value {
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
  if (typeof value === 'string') return value !== '0' && value.toLowerCase() !== 'false' && value !== '';
  if (value instanceof Uint8Array) {
    for (const byte of value) if (byte !== 0) return true;
    return false;
  }
  return value as Value;
}

/**
 * Turns one driver value into a Ferry {@link Value} for a column of the given kind. `NULL` stays
 * `null`. Without a kind, `Date`s become naive strings on `clock` and everything else passes through.
 */
export function normalizeColumnValue(value: unknown, kind: ColumnKind | undefined, clock: DateClock): Value {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bigint':
    case 'decimal':
      return normalizeExactNumber(value);
    case 'integer':
      return typeof value === 'string' || typeof value === 'bigint' ? Number(value) : (value as Value);
    case 'boolean':
      return normalizeBoolean(value);
    case 'date':
    case 'time':
    case 'datetime':
      return normalizeTemporal(value, kind, clock);
    case 'text':
      return typeof value === 'number' || typeof value === 'bigint' ? String(value) : (value as Value);
    case 'binary':
    case undefined:
      return value instanceof Date ? formatNaiveDate(value, clock) : (value as Value);
  }
}

/** One column's normaliser, chosen once from its kind (see {@link normalizeColumnValue}). */
export type ColumnNormalizer = (value: unknown) => Value;

const nullOr =
  (normalize: (value: unknown) => Value): ColumnNormalizer =>
  (value) =>
    value === null || value === undefined ? null : normalize(value);

/**
 * {@link normalizeColumnValue} with the kind's branch chosen once, for a source's per-row loop: the
 * same results, without the per-value switch.
 */
export function columnNormalizer(kind: ColumnKind | undefined, clock: DateClock): ColumnNormalizer {
  switch (kind) {
    case 'bigint':
    case 'decimal':
      return nullOr(normalizeExactNumber);
    case 'date':
    case 'time':
    case 'datetime':
      return nullOr((value) => normalizeTemporal(value, kind, clock));
    default:
      return (value) => normalizeColumnValue(value, kind, clock);
  }
}
