// O11 user ids (OSSYS_USER.ID, integers) → ODC user ids (UUID text). Built once, in memory, from the
// O11 users (id, username, email: never PASSWORD) and the ODC users; matched by email
// (case-insensitive) or by username with an optional prefix. Empty and duplicate emails are ambiguous:
// those users stay unmatched and are reported by id, never by email.

import type { UserMasker } from './user-mask.js';

/** An O11 user as the user map needs it. Deliberately has no password field. */
export interface O11User {
  readonly id: string | number | bigint;
  readonly username: string;
  readonly email: string;
}

/** An ODC user: its id (UUID) and what it can be matched by. */
export interface OdcUser {
  readonly id: string;
  readonly email?: string;
  readonly username?: string;
}

/** How to match users. */
export interface UserMapOptions {
  /** Default `email`. */
  readonly match?: 'email' | 'username';
  /** Added to the O11 username before matching (e.g. `o11_`). */
  readonly usernamePrefix?: string;
  /**
   * Masks O11 users before matching (`UserMasker` of a masked mapping): the ODC users were created
   * masked, so the O11 side is compared in its masked form.
   */
  readonly mask?: UserMasker;
}

/** What building the map found. Lists ids only (O11 ids unless said otherwise), never emails. */
export interface UserMapReport {
  readonly o11Users: number;
  readonly matched: number;
  /** O11 users with no ODC counterpart (including ambiguous ones). */
  readonly unmatched: readonly string[];
  /** O11 users whose match key (email or username) is empty. */
  readonly emptyKey: readonly string[];
  /** O11 users sharing a match key with another O11 user. */
  readonly duplicateKey: readonly string[];
  /** ODC user ids sharing a match key with another ODC user. */
  readonly odcDuplicateKey: readonly string[];
}

/** The ODC user id the Migration Kit uses for unmatched users. */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/**
 * O11 → ODC user ids. `resolve` is a synchronous in-memory lookup, so the mapping stage never makes a
 * round trip per row.
 *
 * @example
 * ```ts
 * const users = UserMap.build(o11Users, await loadOdcUsers({ file: 'odc-users.json' }));
 * users.report.unmatched; // O11 ids to look at
 * ```
 */
export class UserMap {
  readonly report: UserMapReport;
  readonly #ids: ReadonlyMap<string, string>;

  private constructor(ids: ReadonlyMap<string, string>, report: UserMapReport) {
    this.#ids = ids;
    this.report = report;
  }

  /** Builds the map; only `id`, `username` and `email` of each O11 user are read. */
  static build(
    o11Users: readonly O11User[],
    odcUsers: readonly OdcUser[],
    options: UserMapOptions = {},
  ): UserMap {
    const mask = options.mask;
    const users =
      mask === undefined
        ? o11Users
        : o11Users.map((u) => ({
            id: u.id,
            email: mask.email(u.email),
            username: mask.username(u.username, u.email),
          }));
    const byEmail = (options.match ?? 'email') === 'email';
    const prefix = options.usernamePrefix ?? '';
    const o11Key = (u: O11User): string =>
      byEmail
        ? u.email.trim().toLowerCase()
        : u.username.trim() === ''
          ? ''
          : (prefix + u.username.trim()).toLowerCase();
    const odcKey = (u: OdcUser): string =>
      (byEmail ? (u.email ?? '') : (u.username ?? '')).trim().toLowerCase();
    const odcGroups = groupBy(
      odcUsers.filter((u) => odcKey(u) !== ''),
      odcKey,
    );
    const o11Groups = groupBy(users, o11Key);
    const ids = new Map<string, string>();
    const unmatched: string[] = [];
    const emptyKey: string[] = [];
    const duplicateKey: string[] = [];
    for (const [key, group] of o11Groups) {
      const groupIds = group.map((u) => String(u.id));
      if (key === '') emptyKey.push(...groupIds);
      else if (group.length > 1) duplicateKey.push(...groupIds);
      const odc = odcGroups.get(key);
      if (key === '' || group.length > 1 || odc?.length !== 1) unmatched.push(...groupIds);
      else ids.set(groupIds[0]!, odc[0]!.id);
    }
    const odcDuplicateKey = [...odcGroups.values()]
      .filter((g) => g.length > 1)
      .flatMap((g) => g.map((u) => u.id));
    return new UserMap(ids, {
      o11Users: o11Users.length,
      matched: ids.size,
      unmatched,
      emptyKey,
      duplicateKey,
      odcDuplicateKey,
    });
  }

  /**
   * A map already decided elsewhere, e.g. the one `ferry users --apply` writes (O11 user id → ODC user
   * key). O11 users missing from it are reported unmatched.
   */
  static fromIds(ids: ReadonlyMap<string, string>, o11UserIds: readonly string[]): UserMap {
    const unmatched = o11UserIds.filter((id) => !ids.has(id));
    return new UserMap(new Map(ids), {
      o11Users: o11UserIds.length,
      matched: o11UserIds.length - unmatched.length,
      unmatched,
      emptyKey: [],
      duplicateKey: [],
      odcDuplicateKey: [],
    });
  }

  /** The ODC id of an O11 user id, or undefined when unmatched. */
  resolve(o11UserId: string): string | undefined {
    return this.#ids.get(o11UserId);
  }
}
