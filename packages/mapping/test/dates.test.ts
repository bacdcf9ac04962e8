// Date, Time and Date Time: O11 limits, the 1900-01-01 time carrier, and zone shifts across DST.
import { describe, expect, it } from 'vitest';
import {
  ConversionFailure,
  dateConverter,
  dateTimeConverter,
  timeConverter,
  type Converter,
} from '@ferry/mapping';

function outcome(convert: Converter, input: unknown): unknown {
  const result = convert(input as never);
  return result instanceof ConversionFailure ? `!${result.rule}` : result;
}

describe('Date', () => {
  const date = dateConverter('utc');
  it.each([
    ['1900-01-01 00:00:00', '1900-01-01'],
    ['3000-12-31', '3000-12-31'],
    ['3000-12-31 23:59:59.997', '3000-12-31'],
    [new Date(Date.UTC(2020, 1, 29)), '2020-02-29'],
    ['1899-12-31', '!date-range'],
    ['3001-01-01', '!date-range'],
    ['2021-02-29', '!type'],
    ['yesterday', '!type'],
    [42, '!type'],
  ])('%s → %s', (input, expected) => expect(outcome(date, input)).toBe(expected));

  it('reads local Date fields when the driver builds local Dates', () => {
    expect(dateConverter('local')(new Date(2020, 0, 2, 0, 0, 0))).toBe('2020-01-02');
  });
});

describe('Time (a datetime on 1900-01-01)', () => {
  const time = timeConverter('utc');
  it.each([
    ['1900-01-01 13:45:30', '13:45:30'],
    ['1900-01-01 13:45:30.120', '13:45:30.12'],
    ['1900-01-01T00:00:00', '00:00:00'],
    [new Date(Date.UTC(1900, 0, 1, 23, 59, 59, 997)), '23:59:59.997'],
    ['08:15', '08:15:00'],
    ['1900-01-01 12:00:00.1234567', '12:00:00.123456'],
    ['25:00:00', '!type'],
  ])('%s → %s', (input, expected) => expect(outcome(time, input)).toBe(expected));
});

describe('Date Time', () => {
  const utc = dateTimeConverter('UTC', 'utc');
  it.each([
    ['2020-01-02 03:04:05.123', '2020-01-02T03:04:05.123Z'],
    ['2020-01-02T03:04:05', '2020-01-02T03:04:05Z'],
    [new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 120)), '2020-01-02T03:04:05.12Z'],
    ['2020-01-02 03:04:05.1234567', '2020-01-02T03:04:05.123456Z'],
    ['2020-01-02T03:04:05+02:00', '2020-01-02T01:04:05Z'],
    ['1900-01-01 00:00:00', '1900-01-01T00:00:00Z'],
    ['3000-12-31 23:59:59', '3000-12-31T23:59:59Z'],
    ['1899-12-31 23:59:59', '!date-range'],
    ['3001-01-01 00:00:00', '!date-range'],
  ])('UTC %s → %s', (input, expected) => expect(outcome(utc, input)).toBe(expected));

  it.each([
    // Lisbon springs forward 2021-03-28 01:00 WET → 02:00 WEST.
    ['Europe/Lisbon', '2021-03-28 00:30:00', '2021-03-28T00:30:00Z'],
    ['Europe/Lisbon', '2021-03-28 02:30:00', '2021-03-28T01:30:00Z'],
    ['Europe/Lisbon', '2021-03-28 01:30:00', '2021-03-28T01:30:00Z'], // in the gap: moved forward
    // Lisbon falls back 2021-10-31 02:00 WEST → 01:00 WET: 01:30 happens twice, the earlier wins.
    ['Europe/Lisbon', '2021-10-31 01:30:00', '2021-10-31T00:30:00Z'],
    ['Europe/Lisbon', '2021-10-31 02:30:00', '2021-10-31T02:30:00Z'],
    ['America/New_York', '2021-03-13 12:00:00', '2021-03-13T17:00:00Z'],
    ['America/New_York', '2021-03-14 12:00:00', '2021-03-14T16:00:00Z'],
    ['America/New_York', '2021-11-07 01:30:00', '2021-11-07T05:30:00Z'],
    ['Asia/Kolkata', '2021-06-01 05:30:00.250', '2021-06-01T00:00:00.25Z'],
    // The O11 empty value is never shifted, whatever the zone.
    ['Asia/Tokyo', '1900-01-01 00:00:00', '1900-01-01T00:00:00Z'],
  ])('%s %s → %s', (zone, input, expected) =>
    expect(outcome(dateTimeConverter(zone, 'utc'), input)).toBe(expected),
  );

  it('round-trips 10k consecutive wall-clock hours in Europe/Berlin (the offset cache never hides a DST change)', () => {
    const convert = dateTimeConverter('Europe/Berlin', 'utc');
    const start = Date.UTC(2021, 0, 1);
    const format = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    for (let h = 0; h < 10_000; h += 1) {
      const local = new Date(start + h * 3_600_000);
      const result = convert(local) as string;
      const back = new Date(result);
      const wall = format.format(back);
      const expectedWall = local.toISOString().slice(0, 19).replace('T', ' ');
      // A gap hour maps forward by one hour; every other hour must round-trip exactly.
      if (wall !== expectedWall) expect(back.getTime() - (local.getTime() - 3_600_000)).toBe(0);
    }
  });
});

describe('the Date fast path (UTC fields, integer arithmetic)', () => {
  it('agrees with Date#toISOString on 20k instants across the O11 range', () => {
    const date = dateConverter('utc');
    const time = timeConverter('utc');
    const dateTime = dateTimeConverter('UTC', 'utc');
    const min = Date.UTC(1900, 0, 1);
    const span = Date.UTC(3001, 0, 1) - min;
    for (let i = 1; i <= 20_000; i++) {
      const ms = min + Math.floor((((i * 7919) % 20_000) / 20_000) * span) + (i % 1000);
      const iso = new Date(ms).toISOString();
      const trimmed = iso.replace(/\.?0+Z$/, 'Z').replace(/\.(\d*?)0*Z$/, '.$1Z');
      expect(date(new Date(ms))).toBe(iso.slice(0, 10));
      expect(time(new Date(ms))).toBe(trimmed.slice(11, -1));
      expect(dateTime(new Date(ms))).toBe(trimmed);
    }
  });
});

describe('the canonical text fast path (text kept as it is)', () => {
  // A trailing space is trimmed by the general parse but fails the fast path's exact shape, so
  // `convert(text + ' ')` is the general path's answer for the same value.
  const texts: string[] = [];
  for (let i = 0; i < 8_000; i++) {
    const year = 1899 + ((i * 7) % 1103);
    const month = 1 + ((i * 5) % 13); // 13 is invalid
    const day = 1 + ((i * 11) % 31); // 31 in a 30-day month, 29-31 in February
    const hour = (i * 3) % 25; // 24 is invalid
    const minute = (i * 13) % 60;
    const second = (i * 17) % 61; // 60 is invalid
    const fraction = ['', '.5', '.50', '.123', '.120', '.123456', '.1234567', '.000', '.', '.00001'][i % 10]!;
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const date = `${p(year, 4)}-${p(month)}-${p(day)}`;
    texts.push(date, `${date}${i % 2 === 0 ? 'T' : ' '}${p(hour)}:${p(minute)}:${p(second)}${fraction}`);
  }
  texts.push(
    '1900-01-01 00:00:00',
    '1900-01-01T00:00:00.5',
    '2020-1-02',
    '2020-01-02X03:04:05',
    '2020-01-02T03:04',
  );

  it('gives what the general parse gives, for Date and Date Time, on valid and invalid text', () => {
    const dateTime = dateTimeConverter('UTC', 'utc');
    const date = dateConverter('utc');
    let fast = 0;
    for (const text of texts) {
      expect(outcome(dateTime, text), text).toBe(outcome(dateTime, `${text} `));
      expect(outcome(date, text), text).toBe(outcome(date, `${text} `));
      if (typeof dateTime(text) === 'string') fast++;
    }
    expect(fast).toBeGreaterThan(2_000);
  });
});
