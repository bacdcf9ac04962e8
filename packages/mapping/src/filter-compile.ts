// Compiles a declarative row filter into a predicate on source rows (O11 column names). Values compare
// by the attribute's type: numbers exactly as decimals, dates and times by their wall clock, booleans
// as 0/1, text by UTF-16 code units. A value that cannot be read compares as no match.

import type { Row } from '@ferry/core';
import { toBoolean } from './boolean-convert.js';
import { isFailure } from './convert-types.js';
import { toDecimalParts } from './decimal-convert.js';
import { compareDecimal, type DecimalParts } from './decimal-math.js';
import { sourceColumn } from './spec-names.js';
import type { AttributeSpec, FilterScalar, FilterSpec } from './spec-types.js';
import { formatDate, formatTime, toWallClock } from './wall-clock.js';

type Comparable = string | number | DecimalParts;
type Reader = (value: unknown) => Comparable | undefined;

const NUMERIC = new Set(['rtInteger', 'rtLongInteger', 'rtDecimal', 'rtCurrency']);
const CLOCK = new Set(['rtDate', 'rtTime', 'rtDateTime']);

function readerFor(attribute: AttributeSpec, dateFields: 'utc' | 'local'): Reader {
  if (NUMERIC.has(attribute.type)) {
    return (v) => {
      const parts = toDecimalParts(v);
      return parts === undefined || isFailure(parts) ? undefined : parts;
    };
  }
  if (attribute.type === 'rtBoolean')
    return (v) => {
      const b = toBoolean(v);
      return b === undefined ? undefined : Number(b);
    };
  if (CLOCK.has(attribute.type)) {
    return (v) => {
      const c = toWallClock(v, dateFields);
      return c === undefined ? undefined : `${formatDate(c)} ${formatTime(c)}`;
    };
  }
  return (v) =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'object' && typeof b === 'object') return compareDecimal(a, b);
  if (typeof a !== typeof b) return Number.NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isEmptyValue(value: unknown, read: Reader): boolean {
  if (value === null || value === undefined || value === '' || value === false) return true;
  if (value instanceof Uint8Array) return value.byteLength === 0;
  const comparable = read(value);
  if (typeof comparable === 'object') return comparable.int === '' && comparable.frac === '';
  return comparable === 0 || comparable === '1900-01-01 00:00:00';
}

const TESTS: Record<string, (order: number) => boolean> = {
  eq: (o) => o === 0,
  ne: (o) => o !== 0,
  lt: (o) => o < 0,
  le: (o) => o <= 0,
  gt: (o) => o > 0,
  ge: (o) => o >= 0,
};

/** Compiles a (checked) filter over the entity's attributes. */
export function compileFilter(
  filter: FilterSpec,
  attributes: { readonly [name: string]: AttributeSpec },
  dateFields: 'utc' | 'local',
): (row: Row) => boolean {
  if ('all' in filter) {
    const parts = filter.all.map((f) => compileFilter(f, attributes, dateFields));
    return (row) => parts.every((p) => p(row));
  }
  if ('any' in filter) {
    const parts = filter.any.map((f) => compileFilter(f, attributes, dateFields));
    return (row) => parts.some((p) => p(row));
  }
  if ('not' in filter) {
    const inner = compileFilter(filter.not, attributes, dateFields);
    return (row) => !inner(row);
  }
  const attribute = attributes[filter.attribute]!;
  const column = sourceColumn(filter.attribute, attribute);
  const read = readerFor(attribute, dateFields);
  switch (filter.op) {
    case 'is-null':
      return (row) => row[column] === null || row[column] === undefined;
    case 'not-null':
      return (row) => row[column] !== null && row[column] !== undefined;
    case 'is-empty':
      return (row) => isEmptyValue(row[column], read);
    case 'not-empty':
      return (row) => !isEmptyValue(row[column], read);
    case 'in':
    case 'not-in': {
      const wanted = filter.values.map((v: FilterScalar) => read(v)).filter((v) => v !== undefined);
      const negate = filter.op === 'not-in';
      return (row) => {
        const v = read(row[column]);
        const hit = v !== undefined && wanted.some((w) => compare(v, w) === 0);
        return negate ? !hit : hit;
      };
    }
    default: {
      const wanted = read(filter.value);
      const test = TESTS[filter.op]!;
      return (row) => {
        const v = read(row[column]);
        return v !== undefined && wanted !== undefined && test(compare(v, wanted));
      };
    }
  }
}
