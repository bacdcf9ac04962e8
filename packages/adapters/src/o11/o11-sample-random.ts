// Deterministic randomness for the sample O11 database: the same seed gives the same database on
// every dialect, so tests and benchmarks can compare runs. The generator itself is shared/seeded-random.ts.

import { createHash } from 'node:crypto';

/** A GUID derived from the seed and a name: stable SS_KEYs per seed. */
export function seededGuid(seed: number, name: string): string {
  const hex = createHash('sha1').update(`${seed}:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A three-character module hash (upper-case letters and digits), as in `OSUSR_S2M_...`. */
export function seededModuleHash(seed: number, module: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const digest = createHash('sha1').update(`hash:${seed}:${module}`).digest();
  return [0, 1, 2].map((i) => alphabet[digest[i]! % alphabet.length]).join('');
}

/** Integer in [min, max]. */
export const pick = (random: () => number, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

/** A decimal string with up to `intDigits` integer and exactly `scale` fraction digits. */
export function randomDecimal(random: () => number, intDigits: number, scale: number): string {
  const int = String(pick(random, 0, 10 ** Math.min(intDigits, 15) - 1));
  const fraction = Array.from({ length: scale }, () => String(pick(random, 0, 9))).join('');
  const sign = random() < 0.05 ? '-' : '';
  return scale === 0 ? `${sign}${int}` : `${sign}${int}.${fraction}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A date-time string between 1990 and 2030, whole seconds, in O11's `YYYY-MM-DD HH:MM:SS` form. */
export function randomDateTime(random: () => number): string {
  const year = pick(random, 1990, 2030);
  return `${year}-${pad(pick(random, 1, 12))}-${pad(pick(random, 1, 28))} ${pad(pick(random, 0, 23))}:${pad(pick(random, 0, 59))}:${pad(pick(random, 0, 59))}`;
}

/** Texts that break naive pipelines: emoji (2 UTF-16 units), combining marks, CJK, quotes, tabs. */
export const TRICKY_TEXTS = [
  'plain',
  'Zoë',
  'Jose\u0301 (combining acute)',
  '山田太郎',
  'rocket 🚀 launch',
  'family 👨‍👩‍👧 emoji',
  'O\'Brien "quoted"',
  'tab\tand\nnewline',
  'back\\slash',
  'Ελληνικά',
] as const;
