// Acceptance of `ferry users` against the fake ODC portal (every exchange validated against the public
// OpenAPI document) with ODC's real limits (a 60 s window): 1,000 O11 users in MariaDB (e-mails that
// differ only by case, empty e-mails, inactive users, a second tenant, 3 roles, 2 groups); a first
// `--apply` SIGKILLed while its bulk operation is pending, a second `--apply` that resumes it, then
// `ferry run`: each moved user exists once, roles and groups are assigned, no minute holds more than
// 5 bulk requests (any answer, across the kill and the resume; none refused with 429), and every User Identifier in the target holds the matching ODC user key.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_GUID } from '@ferry/mapping';
import { startFakeIdentityServer } from '@ferry/adapters/odc-identity/testing';
import type { FakeIdentityServer } from '@ferry/adapters/odc-identity/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiValidator } from '../../adapters/test/fixtures/odc-identity/openapi-validate.js';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, finished, openFixture, physicalTable, spawnFerry, type Fixture } from './cli-harness.js';

const USERS = 1000;
const ROLES = { Manager: 10, Clerk: 20, Auditor: 30 } as const;
let fixture: Fixture;
let server: FakeIdentityServer;
const problems: string[] = [];
const validator = openApiValidator();
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

interface O11Row {
  ID: number;
  TENANT_ID: number;
  EMAIL: string;
  IS_ACTIVE: number;
}

function o11User(i: number): O11Row & { NAME: string; USERNAME: string; PASSWORD: string } {
  const email = i % 100 === 2 ? '' : i % 100 === 5 ? `USER${i - 1}@Example.COM` : `user${i}@example.com`;
  return {
    ID: i,
    TENANT_ID: i % 50 === 0 ? 2 : 1,
    NAME: `User ${i}`,
    USERNAME: `user${i}`,
    PASSWORD: 'never-read',
    EMAIL: email,
    IS_ACTIVE: i % 40 === 1 ? 0 : 1,
  };
}

const rows = Array.from({ length: USERS }, (_, i) => o11User(i + 1));
const moved = rows.filter((r) => r.TENANT_ID === 1 && r.IS_ACTIVE === 1 && r.EMAIL !== '');

beforeAll(async () => {
  fixture = await openFixture(100);
  const db = fixture.source;
  await db('OSSYS_USER').delete();
  for (let i = 0; i < rows.length; i += 200) await db('OSSYS_USER').insert(rows.slice(i, i + 200));
  await db('OSSYS_TENANT').insert({ ID: 2, NAME: 'Other', ESPACE_ID: 1, IS_ACTIVE: 1 });
  await db.schema.createTable('OSSYS_ROLE', (t) => {
    t.integer('ID').primary();
    t.string('NAME');
    t.integer('ESPACE_ID');
  });
  await db.schema.createTable('OSSYS_USER_ROLE', (t) => {
    t.integer('USER_ID');
    t.integer('ROLE_ID');
  });
  await db.schema.createTable('OSSYS_GROUP', (t) => {
    t.integer('ID').primary();
    t.string('NAME');
  });
  await db.schema.createTable('OSSYS_GROUP_USER', (t) => {
    t.integer('GROUP_ID');
    t.integer('USER_ID');
  });
  const espaces = await db('OSSYS_ESPACE').where({ NAME: 'Sales' }).select<{ ID: number }[]>('ID');
  const sales = espaces[0]!;
  const roles = Object.entries(ROLES).map(([name], index) => ({
    ID: index + 1,
    NAME: name,
    ESPACE_ID: sales.ID,
  }));
  await db('OSSYS_ROLE').insert([...roles, { ID: 9, NAME: 'OtherModuleRole', ESPACE_ID: 999 }]);
  const grants = Object.values(ROLES).flatMap((rest, index) =>
    rows.filter((r) => r.ID % 100 === rest).map((r) => ({ USER_ID: r.ID, ROLE_ID: index + 1 })),
  );
  await db('OSSYS_USER_ROLE').insert([...grants, { USER_ID: 11, ROLE_ID: 9 }]);
  await db('OSSYS_GROUP').insert([
    { ID: 1, NAME: 'Sales Team' },
    { ID: 2, NAME: 'Support' },
  ]);
  const members = [
    ...rows.filter((r) => r.ID % 10 === 0).map((r) => ({ GROUP_ID: 1, USER_ID: r.ID })),
    ...rows.filter((r) => r.ID % 100 < 5).map((r) => ({ GROUP_ID: 2, USER_ID: r.ID })),
  ];
  await db('OSSYS_GROUP_USER').insert(members);
  // Spread the sample's user references over the 1,000 users.
  for (const entity of ['Product', 'Order']) {
    const table = await physicalTable(db, entity);
    await db(table)
      .whereNotNull('CREATEDBY')
      .update({ CREATEDBY: db.raw('MOD(ID * 7, ?) + 1', [USERS]) });
  }
  server = await startFakeIdentityServer({
    clientId: 'ferry-cli',
    clientSecret: 'cli-secret-value',
    roles: ['manager', 'Clerk', 'Auditor', 'Unrelated'],
    groups: ['Sales Team'],
    bulkPendingPolls: 1,
    onExchange: (exchange) => problems.push(...validator.check(exchange)),
  });
  Object.assign(fixture.env, {
    FERRY_ODC_CLIENT_ID: 'ferry-cli',
    FERRY_ODC_CLIENT_SECRET: 'cli-secret-value',
  });
  await fixture.writeConfig({
    users: {
      odc: {
        portalUrl: server.url,
        clientId: { env: 'FERRY_ODC_CLIENT_ID' },
        clientSecret: { env: 'FERRY_ODC_CLIENT_SECRET' },
      },
    },
  });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.drop();
});

describe('ferry users', () => {
  it('plans first: counts per policy, nothing written', async () => {
    const result = await cli('--json', 'users');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const plan = JSON.parse(result.stdout) as {
      counts: Record<string, number>;
      access: Record<string, unknown>;
    };
    expect(plan.counts).toMatchObject({
      o11: 1000,
      matched: 0,
      emptyEmail: 10,
      inactive: 25,
      otherTenants: 20,
      caseDuplicates: 20,
    });
    expect(plan.counts['create']).toBe(new Set(moved.map((r) => r.EMAIL.toLowerCase())).size);
    expect(plan.access).toMatchObject({
      rolesMatched: ['Manager', 'Clerk', 'Auditor'],
      groupsToCreate: ['Support'],
    });
    expect(server.store.users).toHaveLength(0);
    expect(server.exchanges.some((e) => e.method !== 'GET' && e.path.startsWith('/users'))).toBe(false);
  }, 180_000);

  it('--apply killed while a bulk operation is pending, then --apply again: no user created twice, and no minute with more than 5 bulk requests across the kill (regression: the bulk window was per process)', async () => {
    server.holdBulks = true;
    const child = spawnFerry(['users', '--apply'], { cwd: fixture.dir, env: fixture.env });
    const done = finished(child);
    const stateFile = join(fixture.dir, '.ferry', `${String(fixture.config['runId'])}.users-state.json`);
    await waitFor(async () => {
      const text = await readFile(stateFile, 'utf8').catch(() => '');
      return text.includes('"submitted"');
    });
    child.kill('SIGKILL');
    await done;
    expect(server.store.pendingBulks()).toBe(1);
    server.holdBulks = false;
    const second = await cli('users', '--apply');
    expect(second.code, second.stderr + second.stdout).toBe(ExitCode.ok);
    expect(second.stdout).toContain('resumed 1 pending bulk operations');

    const emails = server.store.users.map((u) => u.email.toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(emails)).toEqual(new Set(moved.map((r) => r.EMAIL.toLowerCase())));
    // Every bulk request the fake received, whatever its answer, from the killed process and the
    // resumed one: ODC's limit is per organization, so no 60 s window may hold more than 5 of them.
    const bulks = server.exchanges.filter((e) => e.method === 'POST' && e.path === '/users/bulk');
    expect(bulks.filter((e) => e.status === 202)).toHaveLength(10);
    expect(bulks.filter((e) => e.status === 429)).toEqual([]);
    expect(bulks).toHaveLength(10);
    for (const first of bulks) {
      expect(bulks.filter((e) => e.at >= first.at && e.at < first.at + 60_000).length).toBeLessThanOrEqual(5);
    }
    const map = await userMap();
    const keyOf = (id: number): string => map.get(String(id))!;
    for (const [name, rest] of Object.entries(ROLES)) {
      const role = server.store.roles.find((r) => r.name.toLowerCase() === name.toLowerCase())!;
      for (const r of moved.filter((u) => u.ID % 100 === rest))
        expect(server.store.grants.has(`${keyOf(r.ID)} ${role.key}`)).toBe(true);
    }
    expect(server.store.grants.size).toBe(
      moved.filter((u) => Object.values(ROLES).includes((u.ID % 100) as 10)).length,
    );
    const team = server.store.groups.find((g) => g.name === 'Sales Team')!;
    expect(team.members).toEqual(new Set(moved.filter((u) => u.ID % 10 === 0).map((u) => keyOf(u.ID))));
    expect(server.store.groups.find((g) => g.name === 'Support')!.members.size).toBe(
      moved.filter((u) => u.ID % 100 < 5).length,
    );

    const again = await cli('--json', 'users', '--apply');
    expect(again.code).toBe(ExitCode.ok);
    expect(JSON.parse(again.stdout)).toMatchObject({
      created: 0,
      counts: { create: 0 },
      assigned: { granted: 0, groupsCreated: 0, membersAdded: 0 },
    });
    expect(problems).toEqual([]);
  }, 300_000);

  it('ferry run puts the matching ODC user key in every User Identifier', async () => {
    const result = await cli('run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const map = await userMap();
    const emailOf = new Map(server.store.users.map((u) => [u.key, u.email.toLowerCase()]));
    for (const [entity, table] of [
      ['Product', 'product'],
      ['Order', 'order'],
    ] as const) {
      const query = fixture
        .source(await physicalTable(fixture.source, entity))
        .select<{ ID: string; CREATEDBY: number | null }[]>(
          fixture.source.raw('CAST(ID AS CHAR) AS ID'),
          'CREATEDBY',
        );
      // Orders whose mandatory static StatusId names a deleted record are rejected (README, "What
      // Ferry does with..."): they are not expected in the target.
      if (entity === 'Order')
        void query.whereNotIn(
          'STATUSID',
          fixture.source('OSSYS_ENTITY_RECORD').select('DATA_ID').where('IS_ACTIVE', 0),
        );
      const source = await query;
      const target = await fixture.target.query<{ id: string; createdby: string | null }>(
        `SELECT id::text, created_by AS createdby FROM ${fixture.targetSchema}."${table}"`,
      );
      const byId = new Map(target.rows.map((r) => [r.id, r.createdby]));
      expect(byId.size).toBe(source.length);
      for (const row of source) {
        const o11 = row.CREATEDBY === null ? undefined : rows[row.CREATEDBY - 1]!;
        const expected = o11 === undefined ? null : (map.get(String(o11.ID)) ?? EMPTY_GUID);
        expect(byId.get(row.ID)).toBe(expected);
        if (o11 !== undefined && expected !== EMPTY_GUID)
          expect(emailOf.get(expected!)).toBe(o11.EMAIL.toLowerCase());
      }
    }
  }, 240_000);
});

async function userMap(): Promise<Map<string, string>> {
  const file = join(fixture.dir, '.ferry', `${String(fixture.config['runId'])}.user-map.json`);
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { users: Record<string, string> };
  return new Map(Object.entries(parsed.users));
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}
