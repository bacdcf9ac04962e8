// Fast text for Date values whose UTC fields carry the value (mssql's default): integer arithmetic on
// the epoch (Hinnant's days-to-civil), no Date method calls, which are slow per row in V8.

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DAY = 86_400_000;

/** First and last-plus-one instants of O11's range, 1900-01-01 and 3001-01-01, UTC fields. */
export const O11_MIN_MS = Date.UTC(1900, 0, 1);
export const O11_END_MS = Date.UTC(3001, 0, 1);

/** `YYYY-MM-DD` of an epoch day count. */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${PAD2[month]!}-${PAD2[day]!}`;
}

/** `HH:MM:SS[.fff]` of milliseconds within a day, trailing fraction zeros dropped. */
export function clockText(msOfDay: number): string {
  const seconds = Math.floor(msOfDay / 1000);
  const ms = msOfDay - seconds * 1000;
  const base = `${PAD2[Math.floor(seconds / 3600)]!}:${PAD2[Math.floor(seconds / 60) % 60]!}:${PAD2[seconds % 60]!}`;
  if (ms === 0) return base;
  return `${base}.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
}

/** `YYYY-MM-DD` of an instant's UTC fields (years 1000-9999). */
export function epochDate(ms: number): string {
  return civilDate(Math.floor(ms / DAY));
}

/** `HH:MM:SS[.fff]` of an instant's UTC fields. */
export function epochTime(ms: number): string {
  const days = Math.floor(ms / DAY);
  return clockText(ms - days * DAY);
}

/** `YYYY-MM-DDTHH:MM:SS[.fff]Z` of an instant. */
export function epochDateTime(ms: number): string {
  const days = Math.floor(ms / DAY);
  return `${civilDate(days)}T${clockText(ms - days * DAY)}Z`;
}
