// What `ferry users` would do, decided in memory from the O11 end users and the ODC users: which O11
// users match an existing ODC user (by e-mail, case-insensitive, else by username), which must be
// created, and which are skipped by a policy (inactive, empty e-mail, e-mails that differ only by case,
// other tenants). Pure, so the plan printed first is the plan applied. Reports list ids, never e-mails.

import type { UserMasker } from '@ferry/mapping';
import type { OdcIdentityUser } from './identity-client.js';

/** An O11 end user (OSSYS_USER without PASSWORD). */
export interface O11EndUser {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly username: string;
  readonly email: string;
  readonly active: boolean;
}

/** The policies a user chooses; the counts they affect are shown before anything is written. */
export interface UserPolicies {
  /** The tenant of the migrated modules' user provider; users of other tenants are reported, not moved. */
  readonly tenantId: string;
  /** Inactive O11 users: `skip` (default) or `create` (created inactive). */
  readonly inactive?: 'skip' | 'create';
  /** Users with an empty e-mail: `skip` (default), or `username@<domain>` with `{ domain }`. */
  readonly emptyEmail?: 'skip' | { readonly domain: string };
  /** E-mails that differ only by case: `merge` (default: one ODC user for all of them) or `skip`. */
  readonly caseDuplicates?: 'merge' | 'skip';
}

/** Why an O11 user is not moved. */
export type SkipReason = 'inactive' | 'empty-email' | 'case-duplicate' | 'other-tenant';

/** One ODC user to create, for one or more O11 users (merged case duplicates). */
export interface UserToCreate {
  readonly o11Ids: readonly string[];
  readonly name: string;
  readonly email: string;
  readonly username: string;
  readonly active: boolean;
}

/** The plan. */
export interface UsersPlan {
  /** O11 user id → existing ODC user key. */
  readonly matched: ReadonlyMap<string, string>;
  readonly create: readonly UserToCreate[];
  readonly skipped: readonly { readonly id: string; readonly reason: SkipReason }[];
  readonly counts: Readonly<
    Record<
      'o11' | 'matched' | 'create' | 'emptyEmail' | 'caseDuplicates' | 'inactive' | 'otherTenants',
      number
    >
  >;
}

/**
 * Decides what to create, match and skip. Policies see the O11 values; with `mask` (a masked mapping,
 * `users.mask`), existing ODC users are looked up by the masked e-mail and username, and users to
 * create carry masked e-mails, names and usernames only.
 */
export function planUsers(
  o11: readonly O11EndUser[],
  odc: readonly OdcIdentityUser[],
  policies: UserPolicies,
  mask?: UserMasker,
): UsersPlan {
  const byEmail = new Map<string, string>();
  const byUsername = new Map<string, string>();
  for (const user of odc) {
    const email = (user.email ?? '').trim().toLowerCase();
    if (email !== '' && !byEmail.has(email)) byEmail.set(email, user.key);
    for (const name of user.usernames) byUsername.set(name.trim().toLowerCase(), user.key);
  }
  const skipped: { id: string; reason: SkipReason }[] = [];
  const counts = {
    o11: o11.length,
    matched: 0,
    create: 0,
    emptyEmail: 0,
    caseDuplicates: 0,
    inactive: 0,
    otherTenants: 0,
  };
  const groups = new Map<string, O11EndUser[]>();
  for (const user of o11) {
    if (user.tenantId !== policies.tenantId) {
      counts.otherTenants += 1;
      skipped.push({ id: user.id, reason: 'other-tenant' });
      continue;
    }
    if (!user.active) counts.inactive += 1;
    if (!user.active && (policies.inactive ?? 'skip') === 'skip') {
      skipped.push({ id: user.id, reason: 'inactive' });
      continue;
    }
    const email = emailOf(user, policies);
    if (user.email.trim() === '') counts.emptyEmail += 1;
    if (email === undefined) {
      skipped.push({ id: user.id, reason: 'empty-email' });
      continue;
    }
    const key = email.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), user]);
  }
  const matched = new Map<string, string>();
  const create: UserToCreate[] = [];
  for (const [key, users] of groups) {
    const spellings = new Set(users.map((u) => emailOf(u, policies)));
    if (users.length > 1 && spellings.size > 1) counts.caseDuplicates += users.length;
    if (users.length > 1 && spellings.size > 1 && policies.caseDuplicates === 'skip') {
      for (const u of users) skipped.push({ id: u.id, reason: 'case-duplicate' });
      continue;
    }
    const first = users[0]!;
    const mailKey = mask === undefined ? key : mask.email(key);
    const loginKey = mask === undefined ? first.username : mask.username(first.username, key);
    const existing = byEmail.get(mailKey) ?? byUsername.get(loginKey.trim().toLowerCase());
    if (existing !== undefined) {
      for (const u of users) matched.set(u.id, existing);
      continue;
    }
    const username = first.username.trim() === '' ? key : first.username.trim();
    const name = first.name.trim() === '' ? username : first.name.trim();
    const email = emailOf(first, policies)!;
    create.push({
      o11Ids: users.map((u) => u.id),
      name: mask === undefined ? name : mask.name(name, email),
      email: mask === undefined ? email : mask.email(email),
      username: mask === undefined ? username : mask.username(username, email),
      active: first.active,
    });
  }
  counts.matched = matched.size;
  counts.create = create.length;
  return { matched, create, skipped, counts };
}

function emailOf(user: O11EndUser, policies: UserPolicies): string | undefined {
  const email = user.email.trim();
  if (email !== '') return email;
  const policy = policies.emptyEmail ?? 'skip';
  if (policy === 'skip' || user.username.trim() === '') return undefined;
  return `${user.username.trim()}@${policy.domain}`;
}
