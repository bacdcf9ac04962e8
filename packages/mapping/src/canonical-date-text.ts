// Fast path for date text that is already in Ferry's canonical form, as sources that CAST dates to text
// deliver it (`2020-01-02`, `2020-01-02T03:04:05[.fff]`): the fields are checked with charCodeAt and
// the text is kept, instead of a regex parse into a WallClock and a re-format of the same fields.

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at `i`, or -1. */
function digit(text: string, i: number): number {
  const code = text.charCodeAt(i) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** The two-digit number at `i`, or -1. */
function two(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Whether `YYYY-MM-DD` starts `text`, is a real calendar day and lies in O11's years 1900-3000. */
function validDatePart(text: string): boolean {
  const hi = two(text, 0);
  const lo = two(text, 2);
  if (hi < 0 || lo < 0 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = hi * 100 + lo;
  const month = two(text, 5);
  const day = two(text, 8);
  if (year < 1900 || year > 3000 || month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (leap ? 29 : DAYS[month - 1]!);
}

/**
 * `text` when it is exactly `YYYY-MM-DD`, a valid day within O11's range; `undefined` for anything
 * else (the caller then takes the general parse, which also produces the precise failure).
 */
export function canonicalDateText(text: string): string | undefined {
  return text.length === 10 && validDatePart(text) ? text : undefined;
}

/**
 * `text` as `YYYY-MM-DDTHH:MM:SS[.f]` when it is a valid date-time in O11's range written with `T` or
 * a space, whose fraction has 1-6 digits and no trailing zero (the form the general path would
 * produce); `undefined` otherwise.
 */
export function canonicalDateTimeText(text: string): string | undefined {
  const length = text.length;
  if (length !== 19 && (length < 21 || length > 26)) return undefined;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32) return undefined; // 'T' or ' '
  if (!validDatePart(text) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (length > 19) {
    if (text.charCodeAt(19) !== 46) return undefined; // '.'
    for (let i = 20; i < length; i++) if (digit(text, i) < 0) return undefined;
    if (text.charCodeAt(length - 1) === 48) return undefined; // trailing zero: not canonical
  }
  return separator === 84 ? text : `${text.slice(0, 10)}T${text.slice(11)}`;
}
