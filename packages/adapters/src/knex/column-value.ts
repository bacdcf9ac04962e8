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

/** `1900-01-01 10:00:00.000000` → `1900-01-01T10:00:00`; keeps a non-zero fraction. */
export function normalizeDateTimeText(text: string): string {
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
  const text = toText(value, clock);
  if (text === undefined) return value as Value;
  if (kind === 'date') return text.slice(0, 10);
  if (kind === 'time') return text.includes('T') ? text.slice(text.indexOf('T') + 1) : text;
  return text.length === 10 ? `${text}T00:00:00` : text;
}

function normalizeExactNumber(value: unknown): Value {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    // Reached only when a driver ignored the text cast; a safe integer is still exact.
    if (Number.isSafeInteger(value)) return String(value);
    throw new RangeError('an exact number column came back as an unsafe JavaScript number');
  }
  if (typeof value !== 'string') return value as Value;
  // Oracle TO_CHAR writes ".5"; canonical decimals always have a leading digit.
  return value.trim().replace(/^(-?)\./, '$10.');
}

function normalizeBoolean(value: unknown): Value {
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
  if (typeof value === 'string') return value !== '0' && value.toLowerCase() !== 'false' && value !== '';
  if (value instanceof Uint8Array) return value.some((byte) => byte !== 0);
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
