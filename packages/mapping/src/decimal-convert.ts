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

const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** A Decimal/Currency converter; out comes the canonical decimal string. */
export function decimalConverter(target: DecimalTarget): Converter {
  const { precision, scale, rounding } = target;
  const maxInt = precision - scale;
  return (value) => {
    if (value === null || value === undefined) return null;
    // Fast path: text already canonical (no sign +, no redundant zeros, no exponent) and within bounds.
    if (typeof value === 'string' && CANONICAL.test(value)) {
      const point = value.indexOf('.');
      const intDigits = (point < 0 ? value.length : point) - (value.startsWith('-') ? 1 : 0);
      const fracDigits = point < 0 ? 0 : value.length - point - 1;
      if (
        fracDigits <= scale &&
        (intDigits <= maxInt ||
          (maxInt === 0 &&
            value.startsWith('0', value.length - intDigits - fracDigits - (point < 0 ? 0 : 1))))
      ) {
        return value === '-0' ? '0' : value;
      }
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
