// The `mask` of an attribute in the mapping spec: how a personal value is replaced on its way to the
// target (issue 16). Masks are deterministic: the same source value under the same key gives the same
// output in every entity and every run, so joins on masked columns and resumed runs hold.

/**
 * The mask kinds:
 * - `redact`: a constant (the O11 empty value of the type, or `value`); the source column is not read;
 * - `hash`: a keyed HMAC-SHA-256 of the value, keeping its length and character classes where the type
 *   allows (digits stay digits, letters letters; numbers keep their digit counts, so precision/scale);
 * - `fake`: a realistic value of the kind `as` (names, e-mails, phone numbers, addresses, dates),
 *   chosen from @faker-js/faker's English word lists by a keyed hash of the source value;
 * - `shift`: Date and Date Time moved by a keyed number of days in `[-days, days]` (never 0);
 * - `null`: NULL (optional attributes only); the source column is not read.
 */
export type MaskKind = 'redact' | 'hash' | 'fake' | 'shift' | 'null';

/** What a `fake` mask produces. `words` is lorem text; `date` a date between `from` and `to`. */
export type FakeKind =
  'email' | 'first-name' | 'last-name' | 'full-name' | 'phone' | 'street-address' | 'city' | 'words' | 'date';

/** Every fake kind, for the JSON Schema and messages. */
export const FAKE_KINDS: readonly FakeKind[] = [
  'email',
  'first-name',
  'last-name',
  'full-name',
  'phone',
  'street-address',
  'city',
  'words',
  'date',
];

/** Every mask kind, for the JSON Schema and messages. */
export const MASK_KINDS: readonly MaskKind[] = ['redact', 'hash', 'fake', 'shift', 'null'];

/**
 * One attribute's mask in its long form. Options apply to the kinds named beside them.
 *
 * @example
 * ```json
 * "Email": { "type": "rtEmail", "mask": { "kind": "fake", "as": "email" } },
 * "BirthDate": { "type": "rtDate", "mask": { "kind": "shift", "days": 90 } },
 * "Notes": { "type": "rtText", "length": 2000, "mask": "redact" }
 * ```
 */
export interface MaskSpec {
  readonly kind: MaskKind;
  /** `fake`: what to produce; default by type (Email `email`, Phone Number `phone`, dates `date`). */
  readonly as?: FakeKind;
  /** `redact`: the constant (checked against the type like `constant`); default the O11 empty value. */
  readonly value?: string | number | boolean;
  /** `shift`: the largest shift in days, 1..3650; default 180. */
  readonly days?: number;
  /** `fake` dates: the range, `YYYY-MM-DD`; default 1940-01-01 .. 2005-12-31. */
  readonly from?: string;
  readonly to?: string;
  /** `fake` e-mails: the domain; default `example.com` (reserved, RFC 2606: no mail reaches anyone). */
  readonly domain?: string;
}

/** An attribute's `mask`: a kind alone, or the long form with options. */
export type AttributeMask = MaskKind | MaskSpec;

/** How masks get their key. */
export interface MaskingSpec {
  /** The environment variable holding the mask key; default `FERRY_MASK_KEY`. The key is never stored. */
  readonly keyEnv?: string;
}

/** The long form of a mask. */
export function maskSpecOf(mask: AttributeMask): MaskSpec {
  return typeof mask === 'string' ? { kind: mask } : mask;
}

/** Whether a mask means the source column is never read (`redact`, `null`). */
export function maskSkipsRead(mask: AttributeMask | undefined): boolean {
  if (mask === undefined) return false;
  const kind = maskSpecOf(mask).kind;
  return kind === 'redact' || kind === 'null';
}
