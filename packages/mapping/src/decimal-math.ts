// Exact decimal arithmetic on strings: parse, canonicalise, round to a scale, compare. O11 Decimal and
// Currency values go up to 37 digits, far beyond a double's 15-17, so no JS number is ever involved.

/** A decimal split into sign, integer digits (no leading zeros) and fraction digits (no trailing zeros). */
export interface DecimalParts {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** Parses a decimal string (with optional exponent) exactly; undefined when it is not one. */
export function parseDecimal(text: string): DecimalParts | undefined {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return undefined;
  const [, sign, rawInt = '', rawFrac = '', rawExp] = match;
  if (rawInt === '' && rawFrac === '') return undefined;
  let digits = rawInt + rawFrac;
  let point = rawInt.length + (rawExp === undefined ? 0 : Number.parseInt(rawExp, 10));
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const int = digits.slice(0, point).replace(/^0+/, '');
  const frac = digits.slice(point).replace(/0+$/, '');
  return { negative: sign === '-' && (int !== '' || frac !== ''), int, frac };
}

/** The canonical text of decimal parts: `-12.5`, `0`, `0.001` (no exponent, no redundant zeros). */
export function formatDecimal(parts: DecimalParts): string {
  const int = parts.int === '' ? '0' : parts.int;
  return `${parts.negative ? '-' : ''}${int}${parts.frac === '' ? '' : `.${parts.frac}`}`;
}

/** Adds one unit in the last place to a digit string (`'199'` → `'200'`, `'99'` → `'100'`). */
function increment(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

/** Rounds to `scale` fraction digits: half-even (banker's), half-up (away from zero) or down (truncate). */
export function roundDecimal(
  parts: DecimalParts,
  scale: number,
  mode: 'half-even' | 'half-up' | 'down',
): DecimalParts {
  if (parts.frac.length <= scale) return parts;
  const kept = parts.frac.slice(0, scale);
  const dropped = parts.frac.slice(scale);
  let up = false;
  if (mode !== 'down') {
    const first = dropped.charCodeAt(0) - 48;
    const exactHalf = first === 5 && /^0*$/.test(dropped.slice(1));
    if (first > 5 || (first === 5 && !exactHalf)) up = true;
    else if (exactHalf)
      up =
        mode === 'half-up' ||
        ((kept === '' ? (parts.int.at(-1) ?? '0') : (kept.at(-1) ?? '0')).charCodeAt(0) - 48) % 2 === 1;
  }
  let digits = (parts.int + kept).replace(/^$/, '0');
  if (up) digits = increment(digits);
  const intLength = digits.length - kept.length;
  const int = digits.slice(0, intLength).replace(/^0+/, '');
  const frac = digits.slice(intLength).replace(/0+$/, '');
  return { negative: parts.negative && (int !== '' || frac !== ''), int, frac };
}

/** Compares two decimals exactly: -1, 0 or 1. */
export function compareDecimal(a: DecimalParts, b: DecimalParts): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const sign = a.negative ? -1 : 1;
  if (a.int.length !== b.int.length) return a.int.length > b.int.length ? sign : -sign;
  if (a.int !== b.int) return a.int > b.int ? sign : -sign;
  const width = Math.max(a.frac.length, b.frac.length);
  const fa = a.frac.padEnd(width, '0');
  const fb = b.frac.padEnd(width, '0');
  return fa === fb ? 0 : fa > fb ? sign : -sign;
}
