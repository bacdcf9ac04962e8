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

/** A canonical Date or Date Time shifted by its date's keyed offset, inside 1900-01-02..3000-12-31. */
export function shiftValue(key: MaskKey, value: string, days: number): string {
  const date = value.slice(0, 10);
  const day = dayOf(date);
  const offset = shiftOffset(key, date, days);
  const moved = day + offset;
  const inside = moved >= FIRST_MASK_DAY && moved <= LAST_MASK_DAY ? moved : day - offset;
  return withDate(value, dateOfDay(inside));
}
