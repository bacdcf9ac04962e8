// Date, Time and Date Time. O11 stores all three as SQL Server datetime: a Date is a datetime at
// midnight, a Time a datetime on 1900-01-01, a Date Time the wall clock of the O11 server's zone.
// ODC stores Date and Time as entered and Date Time in UTC, so only Date Time shifts zones.

import { canonicalDateText, canonicalDateTimeText } from './canonical-date-text.js';
import { ConversionFailure, typeFailure, type Converter } from './convert-types.js';
import { epochDate, epochDateTime, epochTime, O11_END_MS, O11_MIN_MS } from './epoch-format.js';
import { zonedToUtc } from './timezone-offset.js';
import { formatDate, formatTime, inO11DateRange, toWallClock, type WallClock } from './wall-clock.js';

const RANGE = 'date is outside the O11 range 1900-01-01..3000-12-31';

/** Fast path: a Date whose UTC fields hold the value (mssql's default): its epoch ms, else undefined. */
function utcEpoch(value: unknown, dateFields: 'utc' | 'local'): number | undefined {
  if (dateFields !== 'utc' || !(value instanceof Date)) return undefined;
  const ms = value.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

const inRange = (ms: number): boolean => ms >= O11_MIN_MS && ms < O11_END_MS;

/** A Date converter: `YYYY-MM-DD`, range-checked. */
export function dateConverter(dateFields: 'utc' | 'local'): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') {
      const canonical = canonicalDateText(value);
      if (canonical !== undefined) return canonical;
    }
    const ms = utcEpoch(value, dateFields);
    if (ms !== undefined) return inRange(ms) ? epochDate(ms) : new ConversionFailure('date-range', RANGE);
    const clock = toWallClock(value, dateFields);
    if (clock === undefined) return typeFailure('a date', value);
    return inO11DateRange(clock) ? formatDate(clock) : new ConversionFailure('date-range', RANGE);
  };
}

/** A Time converter: the clock part of a datetime on 1900-01-01 (or a bare time), `HH:MM:SS[.ffffff]`. */
export function timeConverter(dateFields: 'utc' | 'local'): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    const ms = utcEpoch(value, dateFields);
    if (ms !== undefined) return epochTime(ms);
    const clock = toWallClock(value, dateFields);
    return clock === undefined ? typeFailure('a time', value) : formatTime(clock);
  };
}

function isO11Empty(clock: WallClock): boolean {
  return (
    clock.year === 1900 &&
    clock.month === 1 &&
    clock.day === 1 &&
    clock.hour === 0 &&
    clock.minute === 0 &&
    clock.second === 0 &&
    /^0*$/.test(clock.frac)
  );
}

function formatUtc(epochMs: number, frac: string): string {
  const iso = new Date(epochMs).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const extra = frac.slice(3, 6);
  if (extra === '' || /^0*$/.test(extra)) {
    if (epochMs % 1000 === 0) return `${iso.slice(0, 19)}Z`;
    if (epochMs % 10 !== 0) return iso;
  }
  const digits = (iso.slice(20, 23) + extra).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${digits === '' ? '' : `.${digits}`}Z`;
}

/** The O11 empty Date Time, kept unshifted so that it stays the recognisable default in the target. */
export const EMPTY_DATE_TIME = '1900-01-01T00:00:00Z';

/**
 * A Date Time converter: wall clock in `timeZone` → UTC ISO text (`YYYY-MM-DDTHH:MM:SS[.ffffff]Z`).
 * The range check applies to the stored (source) value. Text with an explicit offset is already an
 * instant and is not shifted again. The O11 empty value 1900-01-01 00:00:00 is never shifted.
 */
export function dateTimeConverter(timeZone: string, dateFields: 'utc' | 'local'): Converter {
  const inUtc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
  return (value) => {
    if (value === null || value === undefined) return null;
    // Canonical text in UTC is its own result: no zone shift, nothing to re-format.
    if (inUtc && typeof value === 'string') {
      const canonical = canonicalDateTimeText(value);
      if (canonical !== undefined) return `${canonical}Z`;
    }
    const epoch = inUtc ? utcEpoch(value, dateFields) : undefined;
    if (epoch !== undefined) {
      if (!inRange(epoch)) return new ConversionFailure('date-range', RANGE);
      return epoch === O11_MIN_MS ? EMPTY_DATE_TIME : epochDateTime(epoch);
    }
    const clock = toWallClock(value, dateFields);
    if (clock === undefined) return typeFailure('a date time', value);
    if (!inO11DateRange(clock)) return new ConversionFailure('date-range', RANGE);
    if (isO11Empty(clock)) return EMPTY_DATE_TIME;
    const ms = Number(clock.frac.slice(0, 3).padEnd(3, '0'));
    const local = Date.UTC(
      clock.year,
      clock.month - 1,
      clock.day,
      clock.hour,
      clock.minute,
      clock.second,
      ms,
    );
    const utc =
      clock.offsetMinutes === undefined ? zonedToUtc(timeZone, local) : local - clock.offsetMinutes * 60_000;
    return formatUtc(utc, clock.frac);
  };
}
