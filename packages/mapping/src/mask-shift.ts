// `shift` masks: a Date or Date Time moved by a keyed number of days in [-days, days], never 0, keyed
// by the value's date, so the same day always moves the same way (and times on one day stay on one
// day, in order). A shift that would leave O11's range goes the other way instead.

import { dateOfDay, dayOf, FIRST_MASK_DAY, LAST_MASK_DAY, withDate } from './mask-days.js';
import { pick, type MaskKey } from './mask-key.js';

/** Default largest shift, in days. */
export const DEFAULT_SHIFT_DAYS = 180;

/** The keyed offset of a date: ±(1..days). */
export function shiftOffset(key: MaskKey, date: string, days: number): number {
  const bytes = key.digest('shift', date);
  const size = 1 + pick(bytes, 0, days);
  return (bytes[6]! & 1) === 1 ? size : -size;
}

/** Distinct dates remembered per attribute (then forgotten all at once): memory stays bounded. */
const CACHE_SIZE = 4096;

/**
 * A shifter of canonical Date or Date Time values by their date's keyed offset, inside
 * 1900-01-02..3000-12-31. Dates repeat a lot (one per day at most), so each attribute remembers the
 * shifted date of up to 4,096 of them instead of hashing every value.
 */
export function dateShifter(key: MaskKey, days: number): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const date = value.slice(0, 10);
    let shifted = seen.get(date);
    if (shifted === undefined) {
      const day = dayOf(date);
      const offset = shiftOffset(key, date, days);
      const moved = day + offset;
      shifted = dateOfDay(moved >= FIRST_MASK_DAY && moved <= LAST_MASK_DAY ? moved : day - offset);
      if (seen.size >= CACHE_SIZE) seen.clear();
      seen.set(date, shifted);
    }
    return withDate(value, shifted);
  };
}
