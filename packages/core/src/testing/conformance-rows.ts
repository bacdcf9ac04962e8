// The data every conformance suite uses: a small fixed schema whose values hit the cases that break
// adapters: 64-bit keys beyond 2^53, NULLs, emoji, decimals wider than a double, and the O11 date limits.

import type { Row } from '../row.js';

/**
 * The conformance schema. Adapters map it to their storage: `id` BIGINT primary key, `name` text
 * (nullable, 200 UTF-16 units), `amount` DECIMAL(37,8) (nullable), `day` DATE (nullable), `flag`
 * BOOLEAN/BIT (nullable). Values are canonical: id and amount as decimal strings, day as `YYYY-MM-DD`.
 */
export type ConformanceRow = {
  readonly id: string;
  readonly name: string | null;
  readonly amount: string | null;
  readonly day: string | null;
  readonly flag: boolean | null;
};

/** First key: 2^53 + 1, which a JS number cannot hold; every id has 16 digits, so text order = numeric order. */
export const CONFORMANCE_FIRST_ID = 9007199254740993n;

/** `n` plain rows with ids from {@link CONFORMANCE_FIRST_ID} upwards. */
export function conformanceRows(n: number, from = 0): ConformanceRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      id: String(CONFORMANCE_FIRST_ID + BigInt(i)),
      name: `row ${i}`,
      amount: `${i}.50000000`,
      day: '2024-02-29',
      flag: i % 2 === 0,
    };
  });
}

/** The edge rows: NULLs, emoji, a decimal of 37 digits, and the O11 date limits (ids follow the plain rows). */
export function edgeRows(
  from = 1000,
): Record<'nulls' | 'unicode' | 'bigDecimal' | 'dateMin' | 'dateMax', ConformanceRow> {
  const id = (k: number): string => String(CONFORMANCE_FIRST_ID + BigInt(from + k));
  return {
    nulls: { id: id(0), name: null, amount: null, day: null, flag: null },
    unicode: { id: id(1), name: 'Zoë 😀👍🏽 日本語 ✓ «»', amount: '0.00000000', day: '2000-01-01', flag: true },
    bigDecimal: {
      id: id(2),
      name: 'big',
      amount: '-12345678901234567890123456789.12345678',
      day: '2000-01-01',
      flag: false,
    },
    dateMin: { id: id(3), name: 'min', amount: '1.00000000', day: '1900-01-01', flag: false },
    dateMax: {
      id: id(4),
      name: 'max',
      amount: '99999999999999999999999999999.99999999',
      day: '3000-12-31',
      flag: true,
    },
  };
}

/**
 * Bring a row read back from an adapter to the canonical shape: ids and amounts from bigint, string or
 * (safe) number to text, trailing zeros padded to 8 decimals, dates from `Date` (UTC) or text, flags
 * from 0/1. Adapters with other shapes pass their own `normalize`.
 */
export function normalizeConformanceRow(row: Row): ConformanceRow {
  return {
    id: text(row.id) ?? '',
    name: row.name === null || row.name === undefined ? null : String(row.name),
    amount: decimal8(text(row.amount)),
    day: day(row.day),
    flag:
      row.flag === null || row.flag === undefined
        ? null
        : row.flag === true || row.flag === 1 || row.flag === '1',
  };
}

/** Canonical rows sorted by id (ids have equal length, so text order is numeric order). */
export function sortById<R extends { readonly id: string }>(rows: readonly R[]): R[] {
  return [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function text(value: Row[string] | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    throw new Error(`unsafe integer ${value} came back as a JS number`);
  }
  return typeof value === 'string' ? value : String(value);
}

function decimal8(value: string | null): string | null {
  if (value === null) return null;
  const [whole = '0', frac = ''] = value.split('.');
  return `${whole}.${frac.padEnd(8, '0')}`;
}

function day(value: Row[string] | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}
