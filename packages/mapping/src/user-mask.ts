// End users masked the way entity attributes are (issue 16): an e-mail becomes exactly what an Email
// attribute with `mask: "fake"` (or `{ kind: "fake", as: "email" }`, default domain) gives for the same
// address, so an O11 user masked here still matches the ODC user `ferry users --apply` created from the
// same masked values, and an entity column holding that address joins to it.

import { fakeText } from './mask-fake.js';
import type { MaskKey } from './mask-key.js';

/** Masks of an end user's e-mail, name and username; empty stays empty (such users stay unmatched). */
export interface UserMasker {
  /** The fake e-mail (lower-case, `@example.com`), the same as a fake-masked Email attribute's. */
  email(value: string): string;
  /** A fake full name, keyed by the e-mail when there is one (one person, one name), else by the name. */
  name(value: string, email: string): string;
  /** The masked e-mail when there is one (ODC usernames are often e-mails), else a hash-like fake. */
  username(value: string, email: string): string;
}

/** Room of an O11 Email attribute (varchar(250)): the room every fake e-mail is made for. */
const EMAIL_ROOM = 250;
const FAKE = { kind: 'fake' } as const;

/** Masks users with `key`; see {@link UserMasker}. */
export function userMasker(key: MaskKey): UserMasker {
  const email = (value: string): string =>
    value.trim() === '' ? '' : fakeText(key, FAKE, 'email', value, EMAIL_ROOM);
  return {
    email,
    name: (value, address) =>
      value.trim() === ''
        ? ''
        : fakeText(key, FAKE, 'full-name', address.trim() === '' ? value : address, 250),
    username: (value, address) =>
      value.trim() === ''
        ? ''
        : address.trim() === ''
          ? email(`${value}@username`).split('@')[0]!
          : email(address),
  };
}
