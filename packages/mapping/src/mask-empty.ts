// The O11 "no value" of each type (O11 stores no NULLs outside identifiers: '' for text, 0 for
// numbers, false for Boolean, 1900-01-01 00:00:00 for dates, times and date-times, an empty byte
// array for binary). `redact` writes it; `hash`, `fake` and `shift` keep it as it is.

import type { Value } from '@ferry/core';
import type { O11BasicType } from './catalog.js';
import { EMPTY_DATE_TIME } from './date-convert.js';

/** The O11 "no value" of each type, as the converters give it: what `redact` writes unless told otherwise. */
export const EMPTY_VALUES: Readonly<Record<O11BasicType, Value>> = {
  rtText: '',
  rtEmail: '',
  rtPhoneNumber: '',
  rtInteger: 0,
  rtLongInteger: '0',
  rtDecimal: '0',
  rtCurrency: '0',
  rtBoolean: false,
  rtDate: '1900-01-01',
  rtTime: '00:00:00',
  rtDateTime: EMPTY_DATE_TIME,
  rtBinaryData: new Uint8Array(0),
};

/** A zero in any of the shapes a converted number takes (number, bigint, decimal text, "-0.00"). */
function isZero(value: Value): boolean {
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'bigint') return value === 0n;
  return typeof value === 'string' && /^-?0*(\.0*)?$/.test(value) && /0/.test(value);
}

/**
 * Whether a converted (non-null) value is its type's O11 "no value". It carries nothing personal, and
 * masking it would invent data where O11 had none, so the keyed masks leave it as it is.
 * Numbers: any zero; Time: midnight (O11 stores it as 1900-01-01 00:00:00, the same as "no time").
 */
export function isO11Empty(type: O11BasicType, value: Value): boolean {
  switch (type) {
    case 'rtInteger':
    case 'rtLongInteger':
    case 'rtDecimal':
    case 'rtCurrency':
      return isZero(value);
    case 'rtBoolean':
      return value === false;
    case 'rtDate':
      return value === '1900-01-01';
    case 'rtTime':
      return typeof value === 'string' && /^00:00:00(\.0*)?$/.test(value);
    case 'rtDateTime':
      return value === EMPTY_DATE_TIME;
    case 'rtBinaryData':
      return value instanceof Uint8Array && value.byteLength === 0;
    default:
      return value === '';
  }
}
