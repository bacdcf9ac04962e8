// End users under a masked mapping (issue 16, `users.mask: true`) through the real `ferry users --apply`
// against the fake ODC portal, then `ferry run`: ODC receives only masked e-mails, names and usernames
// (none of the O11 values), each masked e-mail is the one an entity's fake-masked Email attribute
// holds for the same address, and every User Identifier resolves to the ODC user created for it.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeIdentityServer, type FakeIdentityServer } from '@ferry/adapters/odc-identity/testing';
import { MaskKey, userMasker, type MappingSpec } from '@ferry/mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, suffix, type Fixture } from './cli-harness.js';

const KEY = `users-mask-key-${suffix()}-${suffix()}`;
let fixture: Fixture;
let server: FakeIdentityServer;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env });

beforeAll(async () => {
  fixture = await openFixture(100);
  server = await startFakeIdentityServer({ clientId: 'ferry-cli', clientSecret: 'cli-secret-value' });
  env = {
    ...fixture.env,
    FERRY_ODC_CLIENT_ID: 'ferry-cli',
    FERRY_ODC_CLIENT_SECRET: 'cli-secret-value',
    FERRY_MASK_KEY: KEY,
  };
  await fixture.writeConfig({
    users: {
      odc: {
        portalUrl: server.url,
        clientId: { env: 'FERRY_ODC_CLIENT_ID' },
        clientSecret: { env: 'FERRY_ODC_CLIENT_SECRET' },
      },
    },
  });
  // A product whose sales e-mail is user 2's address, spelled differently.
  await fixture
    .source(await physicalTable(fixture.source, 'Product'))
    .update({ SALESEMAIL: ' USER2@example.com' })
    .where({ ID: 2 });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const file = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(file, 'utf8')) as MappingSpec;
  const product = mapping.entities.find((e) => e.name === 'Catalog.Product')!;
  (product.attributes['SalesEmail'] as { mask?: unknown }).mask = 'fake';
  await writeFile(file, JSON.stringify({ ...mapping, users: { ...mapping.users, mask: true } }, null, 2));
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.drop();
});

describe('ferry users with users.mask', () => {
  it('refuses without the key, naming the variable', async () => {
    const result = await ferry(['users'], { cwd: fixture.dir, env: { ...env, FERRY_MASK_KEY: '' } });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('FERRY_MASK_KEY');
  });

  it('creates ODC users from masked values only, and run resolves User Identifiers to them', async () => {
    const applied = await cli('users', '--apply');
    expect(applied.code, applied.stderr + applied.stdout).toBe(ExitCode.ok);
    const o11 = await fixture
      .source('OSSYS_USER')
      .select<{ ID: number; NAME: string; USERNAME: string; EMAIL: string; IS_ACTIVE: number }[]>(
        'ID',
        'NAME',
        'USERNAME',
        'EMAIL',
        'IS_ACTIVE',
      );
    const active = o11.filter((u) => u.IS_ACTIVE === 1);
    const masker = userMasker(MaskKey.fromSecret(KEY));
    expect(server.store.users.map((u) => u.email).sort()).toEqual(
      active.map((u) => masker.email(u.EMAIL)).sort(),
    );
    const stored = JSON.stringify(server.store.users).toLowerCase();
    for (const user of o11) {
      for (const value of [user.EMAIL, user.NAME, user.USERNAME])
        expect(stored).not.toContain(value.toLowerCase());
    }
    for (const user of server.store.users) expect(user.email).toMatch(/^[a-z.]+[a-z2-7]{16}@example\.com$/);

    const run = await cli('run');
    expect(run.code, run.stderr.slice(-3000)).toBe(ExitCode.ok);
    const keyByO11 = new Map(
      active.map((u) => [u.ID, server.store.users.find((s) => s.email === masker.email(u.EMAIL))!.key]),
    );
    const table = await physicalTable(fixture.source, 'Product');
    const source = await fixture
      .source(table)
      .select<{ ID: number; CREATEDBY: number | null }[]>('ID', 'CREATEDBY');
    const { rows } = await fixture.target.query<{
      id: string;
      created_by: string | null;
      sales_email: string;
    }>(`SELECT id::text, created_by::text, sales_email FROM ${fixture.targetSchema}.product`);
    const target = new Map(rows.map((r) => [r.id, r]));
    let resolved = 0;
    for (const row of source) {
      const mapped = target.get(String(row.ID));
      if (mapped === undefined || row.CREATEDBY === null) continue;
      const key = keyByO11.get(row.CREATEDBY);
      if (key === undefined) continue; // the inactive user: skipped, unmatched
      expect(mapped.created_by, `product ${row.ID}`).toBe(key);
      resolved += 1;
    }
    expect(resolved).toBeGreaterThan(20);
    const user2 = server.store.users.find((s) => s.key === keyByO11.get(2))!;
    expect(target.get('2')!.sales_email).toBe(user2.email);
  }, 180_000);
});
