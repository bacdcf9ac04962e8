// `fake` masks: realistic values picked from @faker-js/faker's English word lists by a keyed hash of
// the source value (not faker's own generator, whose sequence may change between versions). E-mails
// carry 16 keyed base-32 characters (80 bits) in the local part, so distinct inputs stay distinct.

import { faker } from '@faker-js/faker/locale/en';
import { dateOfDay, dayOf } from './mask-days.js';
import { pick, type MaskKey } from './mask-key.js';
import type { FakeKind, MaskSpec } from './mask-spec.js';

const words = faker.rawDefinitions;
const FIRST = words.person?.first_name?.generic ?? ['Alex'];
const LAST = words.person?.last_name?.generic ?? ['Smith'];
const CITY = words.location?.city_name ?? ['Springfield'];
const STREET = words.location?.street_suffix ?? ['Street'];
const LOREM = words.lorem?.word ?? ['lorem'];
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Characters of the keyed tag in a fake e-mail's local part: 80 bits. */
export const EMAIL_TAG_LENGTH = 16;

function one(list: readonly string[], bytes: Uint8Array, offset: number): string {
  return list[pick(bytes, offset, list.length)]!;
}

function letters(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '');
}

function tag(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < EMAIL_TAG_LENGTH; i++) out += BASE32[bytes[16 + i]! & 31];
  return out;
}

/** `first.last.tag@domain`, names shortened (never the tag) to fit `maxLength`. */
function email(bytes: Uint8Array, domain: string, maxLength: number): string {
  const suffix = `${tag(bytes)}@${domain}`;
  const room = Math.min(maxLength, 64 + domain.length) - suffix.length;
  const names = `${letters(one(FIRST, bytes, 0))}.${letters(one(LAST, bytes, 6))}.`;
  return names.slice(0, Math.max(room, 0)).replace(/^\.+/, '') + suffix;
}

function phone(bytes: Uint8Array): string {
  const digit = (i: number, from: number): number => from + (bytes[i]! % (10 - from));
  const part = (start: number, n: number): string =>
    Array.from({ length: n }, (_, i) => digit(start + i, i === 0 ? 2 : 0)).join('');
  return `${part(0, 3)}-${part(3, 3)}-${part(6, 4)}`;
}

function sentence(bytes: Uint8Array): string {
  return Array.from({ length: 4 }, (_, i) => one(LOREM, bytes, i * 6)).join(' ');
}

/** The normalised text a fake of this kind is keyed by (e-mails: trimmed, lower-cased). */
export function fakeInput(as: FakeKind, value: string): string {
  return as === 'email' ? value.trim().toLowerCase() : value;
}

/** A fake text value (every kind but `date`); may be longer than the column: the caller cuts it. */
export function fakeText(
  key: MaskKey,
  spec: MaskSpec,
  as: FakeKind,
  value: string,
  maxLength: number,
): string {
  const input = fakeInput(as, value);
  const bytes = key.digest('fake', input);
  switch (as) {
    case 'email':
      return email(bytes, spec.domain ?? 'example.com', maxLength);
    case 'first-name':
      return one(FIRST, bytes, 0);
    case 'last-name':
      return one(LAST, bytes, 6);
    case 'full-name':
      return `${one(FIRST, bytes, 0)} ${one(LAST, bytes, 6)}`;
    case 'phone':
      return phone(bytes);
    case 'street-address':
      return `${100 + pick(bytes, 12, 9900)} ${one(LAST, bytes, 18)} ${one(STREET, bytes, 24)}`;
    case 'city':
      return one(CITY, bytes, 0);
    case 'words':
    case 'date':
      return sentence(bytes);
  }
}

/** Default range of fake dates. */
export const FAKE_DATE_RANGE = { from: '1940-01-01', to: '2005-12-31' } as const;

/** A fake 'YYYY-MM-DD' in the spec's range, keyed by the value's text. */
export function fakeDate(key: MaskKey, spec: MaskSpec, value: string): string {
  const from = dayOf(spec.from ?? FAKE_DATE_RANGE.from);
  const to = dayOf(spec.to ?? FAKE_DATE_RANGE.to);
  return dateOfDay(from + pick(key.digest('fake/date', value), 0, to - from + 1));
}
