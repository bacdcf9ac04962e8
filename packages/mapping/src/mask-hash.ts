// `hash` masks: a keyed HMAC-SHA-256 of the canonical value, shaped like the value. Text keeps its
// length in code points and each character's class (digit, lower, upper letter; spaces and ASCII
// punctuation stay), with every such character changed; numbers keep sign and digit counts, so a
// decimal stays within precision and scale; dates become keyed dates within O11's range.
// Boolean has no hash: a keyed function of one bit is a constant, a negation or the identity.

import type { Value } from '@ferry/core';
import type { O11BasicType } from './catalog.js';
import { dateOfDay, dayOf, FIRST_MASK_DAY, LAST_MASK_DAY } from './mask-days.js';
import { pick, type MaskKey } from './mask-key.js';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KEPT = /[\s!-/:-@[-`{-~]/u;

/** A character of the class, never `char` itself: index + 1 + (byte mod (size - 1)). */
function other(alphabet: string, index: number, byte: number): string {
  return alphabet[(index + 1 + (byte % (alphabet.length - 1))) % alphabet.length]!;
}

function classOf(char: string): string | undefined {
  const code = char.charCodeAt(0);
  // ASCII first, without a regular expression: most text is.
  if (code < 128) {
    if (code >= 48 && code <= 57) return DIGITS;
    if (code >= 97 && code <= 122) return LOWER;
    if (code >= 65 && code <= 90) return UPPER;
    return undefined; // space, control and ASCII punctuation stay
  }
  if (KEPT.test(char)) return undefined;
  if (/\p{Nd}/u.test(char)) return DIGITS;
  return char !== char.toLowerCase() ? UPPER : LOWER;
}

/** Every non-kept code point replaced by another of its class. */
export function hashText(key: MaskKey, text: string): string {
  const chars = [...text];
  const bytes = key.stream('hash/text', text, chars.length);
  return chars
    .map((char, i) => {
      const alphabet = classOf(char);
      if (alphabet === undefined) return char;
      const at = alphabet.indexOf(char);
      return other(alphabet, at < 0 ? 0 : at, bytes[i]!);
    })
    .join('');
}

/**
 * Digits changed one by one; a leading digit of a multi-digit run stays non-zero, and so does a single
 * non-zero digit (a value never becomes 0, the O11 "no value").
 */
function hashDigits(digits: string, bytes: Uint8Array, offset: number): string {
  return [...digits]
    .map((d, i) => {
      const byte = bytes[(offset + i) % bytes.length]!;
      if (i > 0 || (digits.length === 1 && d === '0')) return other(DIGITS, Number(d), byte);
      return other('123456789', Math.max(Number(d) - 1, 0), byte);
    })
    .join('');
}

/** What a number may hold: an integer type's largest value, a decimal's digits before the point. */
export interface NumberRoom {
  readonly max?: bigint;
  readonly intDigits?: number;
}

/** A canonical integer or decimal text, hashed digit by digit (sign, point and digit counts kept). */
export function hashNumberText(key: MaskKey, text: string, room: NumberRoom = {}): string {
  const negative = text.startsWith('-');
  const [whole = '', given] = (negative ? text.slice(1) : text).split('.');
  // A decimal with no digit before the point (precision = scale) keeps its 0 and changes its fraction.
  const pointOnly = room.intDigits === 0;
  const fraction = pointOnly ? (given ?? '0') : given;
  const bytes = key.stream('hash/number', text, whole.length + (fraction?.length ?? 0));
  let masked = pointOnly ? '0' : hashDigits(whole, bytes, 0);
  // An integer type's range can be left by a same-length value: one digit fewer always fits.
  if (room.max !== undefined && BigInt(masked) > room.max) masked = hashDigits(masked.slice(1), bytes, 1);
  const sign = negative ? '-' : '';
  return fraction === undefined
    ? sign + masked
    : `${sign}${masked}.${hashDigits(fraction, bytes, whole.length)}`;
}

/** A keyed day in [1900-01-02, 3000-12-31], never the value's own day. */
function hashDay(key: MaskKey, text: string): string {
  const span = LAST_MASK_DAY - FIRST_MASK_DAY;
  const day = FIRST_MASK_DAY + pick(key.digest('hash/date', text), 0, span);
  return dateOfDay(day === dayOf(text) ? day + 1 : day);
}

/**
 * A keyed time of day (whole seconds). For a Time never its own second nor midnight (00:00:00 is the
 * O11 "no value" of a Time, kept as it is, so a masked time must not look like it).
 */
function hashClock(key: MaskKey, text: string, own?: string): string {
  const digest = key.digest('hash/time', text);
  if (own === undefined) return clock(pick(digest, 8, 86_400));
  const [h = 0, m = 0, s = 0] = own.split(':').map((part) => Math.floor(Number(part)));
  const keyed = 1 + pick(digest, 8, 86_399);
  return clock(keyed === h * 3600 + m * 60 + s ? (keyed % 86_399) + 1 : keyed);
}

function clock(seconds: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

const INT_MAX: Partial<Record<O11BasicType, bigint>> = {
  rtInteger: 2_147_483_647n,
  rtLongInteger: 9_223_372_036_854_775_807n,
};

/**
 * The hash of one canonical, non-empty value of a type (`intDigits`: a decimal column's precision minus
 * scale). Integers come back as numbers (Integer) or
 * in the shape they came (Long Integer text or bigint); decimals as text for the converter to check.
 */
export function hashValue(key: MaskKey, type: O11BasicType, value: Value, intDigits?: number): Value {
  switch (type) {
    case 'rtInteger':
      return Number(hashNumberText(key, String(value), { max: INT_MAX.rtInteger! }));
    case 'rtLongInteger': {
      const text = hashNumberText(key, String(value), { max: INT_MAX.rtLongInteger! });
      return typeof value === 'bigint' ? BigInt(text) : text;
    }
    case 'rtDecimal':
    case 'rtCurrency':
      return hashNumberText(key, String(value), intDigits === undefined ? {} : { intDigits });
    case 'rtBoolean':
      // Refused by the mapping check (mask-check.ts): a keyed bit per value would hide nothing.
      throw new TypeError('"hash" does not apply to Boolean: use "redact" or "null"');
    case 'rtDate':
      return hashDay(key, String(value));
    case 'rtTime':
      return hashClock(key, String(value), String(value));
    case 'rtDateTime':
      return `${hashDay(key, String(value))}T${hashClock(key, String(value))}Z`;
    case 'rtBinaryData':
      return new Uint8Array(key.digest('hash/binary', value as Uint8Array));
    case 'rtEmail':
      return hashText(key, String(value).trim().toLowerCase());
    case 'rtText':
    case 'rtPhoneNumber':
      return hashText(key, String(value));
  }
}
