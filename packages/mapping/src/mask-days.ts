// Day arithmetic for the date masks on the mapping's canonical forms ('YYYY-MM-DD', and the date part
// of 'YYYY-MM-DDTHH:MM:SS[.f]Z'), kept inside O11's date range. Whole days in UTC: no zone, no DST.

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' text. */
export function dayOf(date: string): number {
  return Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

/** 'YYYY-MM-DD' of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first day a mask may produce: 1900-01-02, since 1900-01-01 is O11's "no value" and a masked date
 * must not turn into one.
 */
export const FIRST_MASK_DAY = dayOf('1900-01-02');

/** O11's last date, 3000-12-31. */
export const LAST_MASK_DAY = dayOf('3000-12-31');

/** The same value with its date part replaced (a Date or the date of a Date Time). */
export function withDate(value: string, date: string): string {
  return date + value.slice(10);
}
