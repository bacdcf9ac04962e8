// Reads the wall-clock fields of a date/time value as drivers deliver it: a Date (whose UTC or local
// fields hold the stored datetime, depending on the driver), or text such as '2020-01-02 03:04:05.123',
// ISO with 'T', or a bare time. Text with 'Z' or an offset is an instant, kept with its offset.

/** Calendar and clock fields; `frac` holds the fraction-of-second digits as written (max 9). */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly frac: string;
  /** Minutes east of UTC when the text carried an offset ('Z' is 0). */
  readonly offsetMinutes?: number;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_ONLY = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : (DAYS[month - 1] ?? 0);
}

function valid(clock: WallClock): boolean {
  return (
    clock.month >= 1 &&
    clock.month <= 12 &&
    clock.day >= 1 &&
    clock.day <= daysInMonth(clock.year, clock.month) &&
    clock.hour <= 23 &&
    clock.minute <= 59 &&
    clock.second <= 59
  );
}

function offsetOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function fromText(text: string): WallClock | undefined {
  const trimmed = text.trim();
  const time = TIME_ONLY.exec(trimmed);
  if (time !== null) {
    const [, h, mi, s, frac] = time;
    return {
      year: 1900,
      month: 1,
      day: 1,
      hour: Number(h),
      minute: Number(mi),
      second: Number(s ?? 0),
      frac: frac ?? '',
    };
  }
  const match = DATE_TIME.exec(trimmed);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const clock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    frac: frac ?? '',
  };
  const offsetMinutes = offsetOf(offset);
  return offsetMinutes === undefined ? clock : { ...clock, offsetMinutes };
}

function fromDate(date: Date, fields: 'utc' | 'local'): WallClock | undefined {
  if (Number.isNaN(date.getTime())) return undefined;
  const ms = fields === 'utc' ? date.getUTCMilliseconds() : date.getMilliseconds();
  const frac = ms === 0 ? '' : String(ms).padStart(3, '0');
  return fields === 'utc'
    ? {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
        frac,
      }
    : {
        year: date.getFullYear(),
        month: date.getMonth() + 1,
        day: date.getDate(),
        hour: date.getHours(),
        minute: date.getMinutes(),
        second: date.getSeconds(),
        frac,
      };
}

/** The wall clock of a driver value, or undefined when it is not a valid date/time. */
export function toWallClock(value: unknown, dateFields: 'utc' | 'local'): WallClock | undefined {
  // A valid Date always has valid fields; only text needs the calendar check.
  if (value instanceof Date) return fromDate(value, dateFields);
  const clock = typeof value === 'string' ? fromText(value) : undefined;
  return clock !== undefined && valid(clock) ? clock : undefined;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD`. */
export function formatDate(clock: WallClock): string {
  return `${String(clock.year).padStart(4, '0')}-${pad2(clock.month)}-${pad2(clock.day)}`;
}

/** `HH:MM:SS[.ffffff]`: fraction to microseconds (PostgreSQL's precision), trailing zeros dropped. */
export function formatTime(clock: WallClock): string {
  const frac = clock.frac.slice(0, 6).replace(/0+$/, '');
  return `${pad2(clock.hour)}:${pad2(clock.minute)}:${pad2(clock.second)}${frac === '' ? '' : `.${frac}`}`;
}

/** Whether a date lies within O11's range, 1900-01-01 to 3000-12-31. */
export function inO11DateRange(clock: WallClock): boolean {
  return clock.year >= 1900 && clock.year <= 3000;
}
