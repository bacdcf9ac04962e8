// Decimal(L,D) and Currency (decimal(37,8)). Exact: string arithmetic only, never Number(). The value is
// canonicalised, then checked against the target's precision and scale; excess scale is rounded by the
// configured mode or rejected.

import { ConversionFailure, typeFailure, type Converter } from './convert-types.js';
import { formatDecimal, parseDecimal, roundDecimal, type DecimalParts } from './decimal-math.js';
import type { RoundingMode } from './spec-types.js';

/** Target numeric precision and scale, and what to do with excess scale. */
export interface DecimalTarget {
  readonly precision: number;
  readonly scale: number;
  readonly rounding: RoundingMode;
}

/** A number is accepted only when its shortest text is exact (15 significant digits or fewer). */
function fromNumber(value: number): DecimalParts | ConversionFailure | undefined {
  if (!Number.isFinite(value)) return undefined;
  const parts = parseDecimal(String(value));
  if (parts !== undefined && (parts.int + parts.frac).replace(/^0+/, '').length <= 15) return parts;
  return new ConversionFailure(
    'unsafe-number',
    'decimal arrived as a JS number with more than 15 significant digits and may be inexact; configure the driver to return decimals as strings',
  );
}

/** Reads a decimal exactly from a string, bigint or small number. */
export function toDecimalParts(value: unknown): DecimalParts | ConversionFailure | undefined {
  if (typeof value === 'string') return parseDecimal(value);
  if (typeof value === 'bigint') return parseDecimal(value.toString());
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value === 'boolean') return { negative: false, int: value ? '1' : '', frac: '' };
  return undefined;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Fast path for plain decimal text `-?D+[.D*]` (what a database CAST gives, e.g. `12.50000000`): its
 * canonical text when it fits `maxInt` integer and `scale` fraction digits, found by one scan; else
 * `undefined` (a leading zero, a sign `+`, an exponent, excess digits: the general path decides).
 */
function plainDecimal(text: string, maxInt: number, scale: number): string | undefined {
  const length = text.length;
  const intStart = text.charCodeAt(0) === 45 ? 1 : 0;
  let i = intStart;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  const intDigits = intEnd - intStart;
  const zeroInt = intDigits === 1 && text.charCodeAt(intStart) === 48;
  if (intDigits === 0 || (intDigits > 1 && text.charCodeAt(intStart) === 48)) return undefined;
  if (!zeroInt && intDigits > maxInt) return undefined;
  let end = intEnd;
  if (i < length) {
    if (text.charCodeAt(i) !== 46) return undefined;
    const fracStart = ++i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i !== length) return undefined;
    end = length;
    while (end > fracStart && text.charCodeAt(end - 1) === 48) end--;
    if (end - fracStart > scale) return undefined;
    if (end === fracStart) end = intEnd; // only zeros after the point: drop it
  }
  if (zeroInt && end === intEnd) return '0'; // 0, -0, -0.000
  return end === length ? text : text.slice(0, end);
}

/** A Decimal/Currency converter; out comes the canonical decimal string. */
export function decimalConverter(target: DecimalTarget): Converter {
  const { precision, scale, rounding } = target;
  const maxInt = precision - scale;
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') {
      const plain = plainDecimal(value, maxInt, scale);
      if (plain !== undefined) return plain;
    }
    let parts = toDecimalParts(value);
    if (parts instanceof ConversionFailure) return parts;
    if (parts === undefined) return typeFailure('a decimal', value);
    if (parts.frac.length > scale) {
      if (rounding === 'reject') {
        return new ConversionFailure(
          'scale',
          `decimal has ${parts.frac.length} fraction digits, target scale is ${scale}`,
        );
      }
      parts = roundDecimal(parts, scale, rounding);
    }
    if (parts.int.length > maxInt) {
      return new ConversionFailure(
        'precision',
        `decimal has ${parts.int.length} integer digits, target numeric(${precision},${scale}) allows ${maxInt}`,
      );
    }
    return formatDecimal(parts);
  };
}
