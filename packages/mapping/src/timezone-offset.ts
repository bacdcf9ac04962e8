// Wall clock in an IANA zone → UTC, through Intl (no tz database of our own). Correct across DST
// changes: times in a spring-forward gap move forward by the gap, and repeated fall-back times take
// the earlier instant (Temporal's "compatible" disambiguation). Offsets are cached per UTC hour only
// when the whole hour has one offset, so the cache never hides a transition.

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const HOUR = 3_600_000;
const DAY = 86_400_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, format);
  }
  return format;
}

function exactOffset(zone: string, epochMs: number): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(epochMs)) parts[part.type] = part.value;
  const year =
    parts['era'] === 'BC' || parts['era'] === 'B' ? 1 - Number(parts['year']) : Number(parts['year']);
  const local = Date.UTC(
    year,
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  const seconds = Math.floor(epochMs / 1000) * 1000;
  return local - seconds;
}

/** The zone's offset from UTC in ms at an instant. */
export function zoneOffset(zone: string, epochMs: number): number {
  let cache = offsetCache.get(zone);
  if (cache === undefined) offsetCache.set(zone, (cache = new Map<number, number>()));
  const hour = Math.floor(epochMs / HOUR);
  const cached = cache.get(hour);
  if (cached !== undefined) return cached;
  const start = exactOffset(zone, hour * HOUR);
  const end = exactOffset(zone, hour * HOUR + HOUR - 1000);
  if (start !== end) return exactOffset(zone, epochMs);
  if (cache.size > 50_000) cache.clear();
  cache.set(hour, start);
  return start;
}

/** The UTC instant (epoch ms) of a wall-clock time (given as if it were UTC, `localMs`) in a zone. */
export function zonedToUtc(zone: string, localMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return localMs;
  const before = zoneOffset(zone, localMs - DAY);
  const after = zoneOffset(zone, localMs + DAY);
  const candidates = [...new Set([before, after])]
    .map((offset) => localMs - offset)
    .filter((utc) => utc + zoneOffset(zone, utc) === localMs)
    .sort((a, b) => a - b);
  // Ambiguous (fall back): the earlier instant. Gap (spring forward): the offset before the change.
  return candidates[0] ?? localMs - before;
}
