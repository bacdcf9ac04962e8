// COPY text-format encoding of Ferry values, the hot path of the PostgreSQL sink. Values are encoded
// by their JS type (the column type only picks the form of a `Date`); strings are checked once by a
// regular expression and copied unchanged unless they hold a backslash, tab, newline or carriage return.

import { FerryError } from '@ferry/core';
import type { Value } from '@ferry/core';
import type { TargetType } from '@ferry/mapping';

/**
 * How a `Date` value is written, chosen by the column it lands in (all UTC): `iso` (full ISO with `Z`,
 * for non-date columns), `date` (`YYYY-MM-DD`), `time` (`HH:MM:SS.mmm`) or `timestamp`
 * (`YYYY-MM-DD HH:MM:SS.mmm`, no zone: `timestamp without time zone`).
 */
export type DateForm = 'iso' | 'date' | 'time' | 'timestamp';

/** The `Date` form for a target column type. */
export function dateFormFor(type: TargetType): DateForm {
  return type === 'date' || type === 'time' || type === 'timestamp' ? type : 'iso';
}

/** The COPY text marker of NULL. */
export const COPY_NULL = '\\N';

/**
 * The characters a COPY text field must not hold as they are: backslash, tab, newline, carriage return
 * (escaped) and NUL (refused). A regular expression scans in native code: for the short strings of a
 * typical row it was about 6× faster than a `charCodeAt` loop (1.4M values, 0.07 s against 0.45 s).
 */
const NEEDS_ESCAPE = /[\0\t\n\r\\]/;

/**
 * Escape a string for a COPY text field: backslash, tab, newline and carriage return become `\\`,
 * `\t`, `\n`, `\r`. A NUL character cannot be stored in PostgreSQL text and is refused.
 */
export function escapeCopyText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? escapeEach(text) : text;
}

function escapeEach(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let replacement: string | undefined;
    if (code === 92) replacement = '\\\\';
    else if (code === 9) replacement = '\\t';
    else if (code === 10) replacement = '\\n';
    else if (code === 13) replacement = '\\r';
    else if (code === 0) throw nulInText();
    if (replacement !== undefined) {
      out += text.slice(start, i) + replacement;
      start = i + 1;
    }
  }
  return out + text.slice(start);
}

/** Encode one value as a COPY text field (`\N` for null/undefined). */
export function encodeCopyValue(value: Value | undefined, form: DateForm): string {
  return encodeValue(value, form, true);
}

/**
 * Encode one value as a text query parameter (INSERT/UPDATE modes): `null` for NULL, bytea as
 * `\x` hex, everything else as in COPY but without COPY escapes.
 */
export function encodeParamValue(value: Value | undefined, form: DateForm): string | null {
  return encodeValue(value, form, false);
}

/**
 * Both encodings in one switch; `copy` picks COPY escapes, the `\N` marker and the doubled bytea
 * backslash. A plain flag, not a strategy object, so the hot path allocates nothing per value.
 */
function encodeValue(value: Value | undefined, form: DateForm, copy: true): string;
function encodeValue(value: Value | undefined, form: DateForm, copy: boolean): string | null;
function encodeValue(value: Value | undefined, form: DateForm, copy: boolean): string | null {
  switch (typeof value) {
    case 'string':
      if (copy) return escapeCopyText(value);
      if (value.includes('\0')) throw nulInText();
      return value;
    case 'number':
      return finiteNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return copy ? COPY_NULL : null;
    default:
      if (value === null) return copy ? COPY_NULL : null;
      if (value instanceof Date) return formatDate(value, form);
      // bytea hex format `\x0a0b`; in COPY the backslash is doubled because COPY text unescapes it once.
      return (copy ? '\\\\x' : '\\x') + hex(value);
  }
}

/** A `Date` in UTC, in the form its column needs. Years must be 1 to 9999. */
export function formatDate(date: Date, form: DateForm): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) {
    throw invalidValue('a date-time is invalid or outside years 1 to 9999');
  }
  const iso = date.toISOString();
  if (form === 'timestamp') return iso.slice(0, 10) + ' ' + iso.slice(11, 23);
  if (form === 'date') return iso.slice(0, 10);
  if (form === 'time') return iso.slice(11, 23);
  return iso;
}

function hex(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('hex');
}

function finiteNumber(value: number): string {
  if (!Number.isFinite(value)) throw invalidValue('a number is not finite (NaN or Infinity)');
  return String(value);
}

function nulInText(): FerryError {
  return invalidValue(
    'text contains a NUL character (U+0000), which PostgreSQL cannot store: remove it in a stage',
  );
}

function invalidValue(message: string): FerryError {
  return new FerryError(message, { code: 'FERRY_PG_ENCODE', reason: 'invalid-data', operation: 'encode' });
}
