// The ODC identity client against the project's fake ODC portal, every exchange validated against the
// public OpenAPI document: OIDC discovery and the cached token (renewed after expiry), pagination, 429
// with x-envoy-ratelimited and 5xx retried, bulk creation with per-item errors, the bulk rate limit,
// policies, roles and groups, and a crash while a bulk operation is pending (no user created twice).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileIdentityStateStore,
  OdcIdentityClient,
  planUsers,
  syncOdcUsers,
} from '@ferry/adapters/odc-identity';
import type {
  IdentityHttpOptions,
  O11Directory,
  O11EndUser,
  SyncOdcUsersOptions,
  SyncOdcUsersResult,
} from '@ferry/adapters/odc-identity';
import { startFakeIdentityServer } from '@ferry/adapters/odc-identity/testing';
import { MaskKey, userMasker } from '@ferry/mapping';
import type { FakeIdentityServer, FakeIdentityServerOptions } from '@ferry/adapters/odc-identity/testing';
import { openApiValidator } from './fixtures/odc-identity/openapi-validate.js';

const WINDOW = 400;
const validator = openApiValidator();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(options: Partial<FakeIdentityServerOptions> = {}) {
  const problems: string[] = [];
  const server = await startFakeIdentityServer({
    clientId: 'ferry-test',
    clientSecret: 's3cret-value',
    windowMs: WINDOW,
    bulkPendingPolls: 1,
    onExchange: (exchange) => problems.push(...validator.check(exchange)),
    ...options,
  });
  const dir = await mkdtemp(join(tmpdir(), 'ferry-identity-'));
  cleanup.push(
    () => server.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  const client = (): OdcIdentityClient =>
    new OdcIdentityClient({
      portalUrl: server.url,
      clientId: 'ferry-test',
      clientSecret: 's3cret-value',
      windowMs: WINDOW,
      retry: { minDelayMs: 5, maxDelayMs: 20 },
    });
  const state = new FileIdentityStateStore(join(dir, 'users-state.json'));
  return { server, client, state, problems };
}

const user = (id: number, over: Partial<O11EndUser> = {}): O11EndUser => ({
  id: String(id),
  tenantId: '1',
  name: `User ${id}`,
  username: `user${id}`,
  email: `user${id}@example.com`,
  active: true,
  ...over,
});

/** `syncOdcUsers` with apply, the test tenant and fast polls. */
function applyUsers(
  ctx: { client: () => OdcIdentityClient; state: FileIdentityStateStore },
  directory: O11Directory,
  extra: Partial<SyncOdcUsersOptions> = {},
): Promise<SyncOdcUsersResult> {
  return syncOdcUsers({
    client: ctx.client(),
    directory,
    policies: { tenantId: '1' },
    state: ctx.state,
    apply: true,
    pollMs: 2,
    ...extra,
  });
}

function keysOf(server: FakeIdentityServer): string[] {
  return server.store.users.map((u) => u.email.toLowerCase());
}

describe('ODC identity client', () => {
  it('gets the token through OIDC discovery, caches it and renews it after it expires', async () => {
    const { server, client, problems } = await setup();
    const api = client();
    const signal = new AbortController().signal;
    await api.listUsers(signal);
    await api.listGroups(signal);
    expect(server.tokensIssued()).toBe(1);
    server.expireTokens();
    await api.listUsers(signal);
    expect(server.tokensIssued()).toBe(2);
    expect(server.exchanges.filter((e) => e.status === 401)).toHaveLength(1);
    expect(server.exchanges.some((e) => e.path === '/identity/.well-known/openid-configuration')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('renews a short-lived token before it expires', async () => {
    const { server, client, problems } = await setup({ tokenTtlSeconds: 1 });
    const api = client();
    await api.listUsers(new AbortController().signal);
    await new Promise((r) => setTimeout(r, 600));
    await api.listUsers(new AbortController().signal);
    expect(server.tokensIssued()).toBe(2);
    expect(server.exchanges.filter((e) => e.status === 401)).toHaveLength(0);
    expect(problems).toEqual([]);
  });

  it('pages GET /users 100 at a time and retries 429 (x-envoy-ratelimited) and 5xx', async () => {
    const { server, client, problems } = await setup();
    for (let i = 1; i <= 250; i++)
      server.store.addUser({ name: `U${i}`, email: `u${i}@x.org`, username: `u${i}`, isActive: true });
    server.failNext('429');
    server.failNext('503');
    const users = await client().listUsers(new AbortController().signal);
    expect(users).toHaveLength(250);
    expect(users[0]!.usernames).toEqual(['u1']);
    const pages = server.exchanges.filter((e) => e.path === '/users' && e.status === 200);
    expect(pages.map((e) => e.query['offset'])).toEqual(['0', '100', '200']);
    expect(server.exchanges.find((e) => e.status === 429)?.headers['x-envoy-ratelimited']).toBe('true');
    expect(problems).toEqual([]);
  });

  it('keeps the client secret and the token out of error messages', async () => {
    const { server } = await setup();
    const api = new OdcIdentityClient({
      portalUrl: server.url,
      clientId: 'ferry-test',
      clientSecret: 'wrong-secret',
    });
    const error = await api.listUsers(new AbortController().signal).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'FERRY_ODC_IDENTITY_AUTH', reason: 'authentication' });
    expect((error as Error).message).not.toContain('wrong-secret');
  });
});

describe('ODC identity rate limits', () => {
  // A 1 s window (ODC's is 60 s) with ODC's caps: the fake answers 429 beyond them.
  const window = 1000;
  const api = (url: string, windows?: IdentityHttpOptions['windows']): OdcIdentityClient =>
    new OdcIdentityClient({
      portalUrl: url,
      clientId: 'ferry-test',
      clientSecret: 's3cret-value',
      windowMs: window,
      retry: { minDelayMs: 5, maxDelayMs: 20 },
      ...(windows === undefined ? {} : { windows }),
    });
  const most = (times: readonly number[]): number =>
    Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + window).length));

  it('holds 100 requests a window when 150 are asked for at once', async () => {
    const { server, problems } = await setup({ windowMs: window });
    const client = api(server.url);
    const signal = new AbortController().signal;
    await Promise.all(Array.from({ length: 150 }, () => client.listGroups(signal)));
    const calls = server.exchanges.filter((e) => e.path === '/groups');
    expect(calls.filter((e) => e.status === 200)).toHaveLength(150);
    expect(calls.filter((e) => e.status !== 200)).toEqual([]);
    const times = calls.map((e) => e.at).sort((a, b) => a - b);
    expect(most(times)).toBeLessThanOrEqual(100);
    // The 101st could only start one window after the first one ended.
    expect(times[100]! - times[0]!).toBeGreaterThanOrEqual(window);
    expect(problems).toEqual([]);
  });

  it('hands the bulk window to the next process: no 6th bulk request within the window (regression: it was per process)', async () => {
    const { server, problems } = await setup({ windowMs: window });
    let handedOver: readonly number[] = [];
    const bulk = { history: [], onHistory: (times: readonly number[]) => (handedOver = times) };
    const signal = new AbortController().signal;
    const record = (i: number) => ({ name: `U${i}`, email: `u${i}@x.org` });
    const first = api(server.url, { bulk });
    for (let i = 1; i <= 5; i++) await first.submitBulk([record(i)], signal);
    expect(handedOver).toHaveLength(5);
    // A new client, as a new process would build it from the state file.
    await api(server.url, { bulk: { history: [...handedOver] } }).submitBulk([record(6)], signal);
    const bulks = server.exchanges.filter((e) => e.method === 'POST' && e.path === '/users/bulk');
    expect(bulks.map((e) => e.status)).toEqual([202, 202, 202, 202, 202, 202]);
    expect(most(bulks.map((e) => e.at))).toBeLessThanOrEqual(5);
    expect(bulks[5]!.at - bulks[0]!.at).toBeGreaterThanOrEqual(window);
    expect(problems).toEqual([]);
  });
});

describe('the OpenAPI validator of the tests', () => {
  it('rejects what the document does not allow', () => {
    const at = { headers: {}, at: 0, responseBody: undefined };
    const bad = validator.check({
      ...at,
      method: 'POST',
      path: '/users/bulk',
      query: { pageSize: '5' },
      requestBody: { users: [] },
      status: 202,
    });
    expect(bad.join('\n')).toMatch(/pageSize is not declared/);
    expect(bad.join('\n')).toMatch(/must have required property 'records'/);
    expect(
      validator.check({
        ...at,
        method: 'GET',
        path: '/users',
        query: {},
        requestBody: undefined,
        status: 418,
      }),
    ).toEqual(['GET /users: status 418 is not declared']);
    expect(
      validator.check({
        ...at,
        method: 'PUT',
        path: '/users',
        query: {},
        requestBody: undefined,
        status: 200,
      }),
    ).toEqual(['PUT /users is not in the document']);
  });
});

describe('planUsers policies', () => {
  const o11 = [
    user(1),
    user(2, { email: 'USER1@example.com' }),
    user(3, { email: '' }),
    user(4, { active: false }),
    user(5, { tenantId: '2' }),
    user(6, { email: 'known@example.com' }),
    user(7, { email: '', username: 'known' }),
  ];
  const odc = [{ key: 'k-known', email: 'Known@Example.com', name: null, usernames: ['known'] }];

  it('counts and applies the defaults: merge case duplicates, skip empty e-mails and inactive users', () => {
    const plan = planUsers(o11, odc, { tenantId: '1' });
    expect(plan.counts).toEqual({
      o11: 7,
      matched: 1,
      create: 1,
      emptyEmail: 2,
      caseDuplicates: 2,
      inactive: 1,
      otherTenants: 1,
    });
    expect(plan.create[0]!.o11Ids).toEqual(['1', '2']);
    expect(plan.matched.get('6')).toBe('k-known');
    expect(plan.skipped.map((s) => `${s.id}:${s.reason}`).sort()).toEqual([
      '3:empty-email',
      '4:inactive',
      '5:other-tenant',
      '7:empty-email',
    ]);
  });

  it('uses username@domain for empty e-mails, matches by username, and can skip case duplicates', () => {
    const plan = planUsers(o11, odc, {
      tenantId: '1',
      emptyEmail: { domain: 'corp.example' },
      caseDuplicates: 'skip',
      inactive: 'create',
    });
    expect(plan.create.map((u) => u.email).sort()).toEqual(['user3@corp.example', 'user4@example.com']);
    expect(plan.create.find((u) => u.o11Ids[0] === '4')!.active).toBe(false);
    expect(plan.matched.get('7')).toBe('k-known');
    expect(plan.skipped.filter((s) => s.reason === 'case-duplicate').map((s) => s.id)).toEqual(['1', '2']);
  });
});

describe('planUsers with a masked mapping (users.mask)', () => {
  const masker = userMasker(MaskKey.fromSecret('plan-users-mask-key-0123'));
  const o11 = [user(1), user(2, { email: 'USER1@example.com' }), user(6, { email: 'known@example.com' })];
  const odc = [{ key: 'k-known', email: masker.email('known@example.com'), name: null, usernames: [] }];

  it('decides policies on the O11 values, matches and creates by masked values only', () => {
    const merged = planUsers(o11, odc, { tenantId: '1' }, masker);
    expect(merged.matched.get('6')).toBe('k-known'); // the ODC user holds the masked e-mail
    expect(merged.counts.caseDuplicates).toBe(2); // seen on the O11 spellings, before masking
    const created = merged.create[0]!;
    expect(created.o11Ids).toEqual(['1', '2']);
    expect(created.email).toBe(masker.email('user1@example.com'));
    expect(created.username).toBe(created.email);
    expect(JSON.stringify(merged.create)).not.toMatch(/user1|User 1/i);
    const skipped = planUsers(o11, odc, { tenantId: '1', caseDuplicates: 'skip' }, masker);
    expect(skipped.skipped.map((s) => s.id)).toEqual(['1', '2']);
  });
});

describe('syncOdcUsers', () => {
  const directory = (n: number): O11Directory => {
    const users = Array.from({ length: n }, (_, i) => user(i + 1));
    return {
      users,
      roles: [
        { name: 'Manager', userIds: users.filter((u) => Number(u.id) % 10 === 0).map((u) => u.id) },
        { name: 'NotInOdc', userIds: ['1'] },
      ],
      groups: [
        { name: 'Sales', userIds: users.filter((u) => Number(u.id) % 2 === 0).map((u) => u.id) },
        { name: 'Support', userIds: ['1', '3'] },
      ],
    };
  };

  it('creates, assigns and fills once; a second apply creates nothing; bulk item errors are recorded', async () => {
    const { server, client, state, problems } = await setup({
      roles: ['manager'],
      groups: ['Sales'],
      failEmails: (email) => email === 'user7@example.com',
    });
    const dir = directory(230);
    const first = await applyUsers({ client, state }, dir);
    expect(first.plan.counts.create).toBe(230);
    expect(first.created).toBe(229);
    expect(first.bulkErrors).toEqual([{ o11Ids: ['7'], errorCode: 'OS-IDTY-40001' }]);
    expect(first.access.rolesUnmatched).toEqual(['NotInOdc']);
    expect(first.access.groupsToCreate).toEqual(['Support']);
    expect(first.assigned).toEqual({ granted: 23, groupsCreated: 1, membersAdded: 115 + 2 });
    expect(server.store.users).toHaveLength(229);
    expect(first.userMap.size).toBe(229);
    expect(server.store.grants.size).toBe(23);
    expect(server.store.groups.find((g) => g.name === 'Sales')!.members.size).toBe(115);
    expect(
      server.exchanges.some(
        (e) =>
          e.method === 'GET' &&
          e.path.startsWith('/users/bulk/') &&
          e.responseBody !== undefined &&
          (e.responseBody as { status: string }).status === 'FinishedWithErrors',
      ),
    ).toBe(true);

    const posts = server.exchanges.length;
    const second = await applyUsers({ client, state }, dir);
    expect(second.plan.counts.matched).toBe(229);
    expect(second.assigned).toEqual({ granted: 0, groupsCreated: 0, membersAdded: 0 });
    const again = server.exchanges
      .slice(posts)
      .filter((e) => e.method !== 'GET' && !e.path.startsWith('/identity/'));
    // Only user 7 (its bulk item failed) is submitted again.
    expect(again.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /users/bulk']);
    expect(problems).toEqual([]);
  });

  it('holds 5 bulk requests per window', async () => {
    const { server, client, state, problems } = await setup();
    await applyUsers({ client, state }, { users: directory(1000).users, roles: [], groups: [] });
    const bulks = server.exchanges.filter((e) => e.method === 'POST' && e.path === '/users/bulk');
    expect(bulks.filter((e) => e.status === 202)).toHaveLength(10);
    expect(bulks.filter((e) => e.status === 429)).toHaveLength(0);
    for (const exchange of bulks) {
      expect(
        bulks.filter((e) => e.at >= exchange.at && e.at < exchange.at + WINDOW).length,
      ).toBeLessThanOrEqual(5);
    }
    expect(new Set(keysOf(server)).size).toBe(1000);
    expect(problems).toEqual([]);
  });

  it('after a crash while a bulk operation is pending, polls it instead of creating the users again', async () => {
    const { server, client, state, problems } = await setup();
    const dir = { users: directory(150).users, roles: [], groups: [] };
    server.holdBulks = true;
    const crash = new AbortController();
    const killed = applyUsers({ client, state }, dir, {
      signal: crash.signal,
      onProgress: (event) => {
        if (event.kind === 'bulk-submitted') setTimeout(() => crash.abort(), 20);
      },
    });
    await expect(killed).rejects.toMatchObject({ reason: 'aborted' });
    expect(server.store.pendingBulks()).toBe(1);
    expect((await state.load()).bulks).toHaveLength(1);
    server.holdBulks = false;
    const resumed = await applyUsers({ client, state }, dir);
    expect(resumed.resumedBulks).toBe(1);
    expect(resumed.plan.counts).toMatchObject({ matched: 100, create: 50 });
    expect(keysOf(server)).toHaveLength(150);
    expect(new Set(keysOf(server)).size).toBe(150);
    expect(problems).toEqual([]);
  });
});
