// The in-memory ODC of the fake identity server: users with their identity provider usernames,
// asynchronous bulk operations (users appear only when an operation finishes, as in ODC), application
// roles, groups and their members. Keys are random UUIDs, as ODC's are.

import { randomUUID } from 'node:crypto';

/** A stored ODC user. */
export interface FakeUser {
  readonly key: string;
  readonly name: string;
  readonly email: string;
  readonly username: string;
  readonly isActive: boolean;
}

interface FakeBulk {
  readonly key: string;
  readonly records: readonly Record<string, unknown>[];
  polls: number;
  operations?: Record<string, unknown>[];
}

/** The fake's data. */
export class FakeIdentityStore {
  readonly users: FakeUser[] = [];
  readonly roles: { key: string; name: string }[] = [];
  readonly groups: { key: string; name: string; members: Set<string> }[] = [];
  /** `userKey roleKey` pairs. */
  readonly grants = new Set<string>();
  readonly #bulks = new Map<string, FakeBulk>();
  readonly environmentKey = randomUUID();
  readonly assetKey = randomUUID();

  addRole(name: string): string {
    const key = randomUUID();
    this.roles.push({ key, name });
    return key;
  }

  addGroup(name: string): string {
    const key = randomUUID();
    this.groups.push({ key, name, members: new Set() });
    return key;
  }

  addUser(user: Omit<FakeUser, 'key'>): FakeUser {
    const stored = { ...user, key: randomUUID() };
    this.users.push(stored);
    return stored;
  }

  submitBulk(records: readonly Record<string, unknown>[]): string {
    const key = randomUUID();
    this.#bulks.set(key, { key, records, polls: 0 });
    return key;
  }

  /** Bulk operations not finished yet. */
  pendingBulks(): number {
    return [...this.#bulks.values()].filter((b) => b.operations === undefined).length;
  }

  /** One poll: `Pending` for the first `pendingPolls` polls (or while `hold`), then the users are created. */
  pollBulk(
    key: string,
    pendingPolls: number,
    hold: boolean,
    fails: (email: string) => boolean,
  ): { status: string; operations: Record<string, unknown>[] } | undefined {
    const bulk = this.#bulks.get(key);
    if (bulk === undefined) return undefined;
    bulk.polls += 1;
    if (bulk.operations === undefined && (hold || bulk.polls <= pendingPolls)) {
      return { status: bulk.polls > 1 ? 'Processing' : 'Pending', operations: [] };
    }
    bulk.operations ??= bulk.records.map((record) => this.#createOne(record, fails));
    const failed = bulk.operations.some((o) => o['status'] === 'Error');
    return { status: failed ? 'FinishedWithErrors' : 'Finished', operations: bulk.operations };
  }

  #createOne(record: Record<string, unknown>, fails: (email: string) => boolean): Record<string, unknown> {
    const email = textOf(record['email'], '');
    const username = textOf(record['username'], email);
    const echo = { email, username };
    if (email === '' || fails(email)) {
      return {
        status: 'Error',
        errorCode: 'OS-IDTY-40001',
        errorMessage: 'The user could not be created.',
        record: echo,
      };
    }
    if (this.users.some((u) => u.email.toLowerCase() === email.toLowerCase())) {
      return {
        status: 'Error',
        errorCode: 'OS-IDTY-40901',
        errorMessage: 'A user with this email exists.',
        record: echo,
      };
    }
    const user = this.addUser({
      name: textOf(record['name'], email),
      email,
      username,
      isActive: record['isActive'] !== false,
    });
    return { status: 'Inserted', record: { ...echo, key: user.key } };
  }

  /** The UserProfileApiResponse of a user. */
  userResponse(user: FakeUser, embedProviders: boolean): Record<string, unknown> {
    const base = {
      key: user.key,
      name: user.name,
      email: user.email,
      status: user.isActive ? 'Active' : 'Inactive',
      isActive: user.isActive,
    };
    if (!embedProviders) return base;
    const profile = {
      userKey: user.key,
      identityProviderKey: this.environmentKey,
      username: user.username,
      email: user.email,
    };
    return { ...base, _embedded: { userIdentityProviders: [profile] } };
  }
}

function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
