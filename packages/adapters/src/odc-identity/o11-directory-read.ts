// Reads what `ferry users` moves from an O11 database: the end users of the migrated modules' user
// provider (OSSYS_USER with explicit columns: PASSWORD is never selected), their groups (OSSYS_GROUP,
// OSSYS_GROUP_USER) and their grants of the migrated modules' roles (OSSYS_ROLE, OSSYS_USER_ROLE).
// Databases without the group or role tables (exports, samples) simply have no groups or roles.

import type { Knex } from 'knex';
import type { NamedMembers } from './roles-groups-sync.js';
import type { O11Directory } from './users-sync.js';
import type { O11EndUser } from './users-plan.js';

type Id = string | number | bigint;
const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : '';

/** Reads the users, groups and role grants; roles are those of `modules` (all when absent). */
export async function readO11Directory(db: Knex, modules?: readonly string[]): Promise<O11Directory> {
  const rows = (await db('OSSYS_USER')
    .select('ID', 'TENANT_ID', 'NAME', 'USERNAME', 'EMAIL', 'IS_ACTIVE')
    .orderBy('ID')) as {
    ID: Id;
    TENANT_ID: Id;
    NAME: unknown;
    USERNAME: unknown;
    EMAIL: unknown;
    IS_ACTIVE: unknown;
  }[];
  const users: O11EndUser[] = rows.map((r) => ({
    id: text(r.ID),
    tenantId: text(r.TENANT_ID),
    name: text(r.NAME),
    username: text(r.USERNAME),
    email: text(r.EMAIL),
    active: r.IS_ACTIVE === true || Number(r.IS_ACTIVE) === 1,
  }));
  return { users, groups: await readGroups(db), roles: await readRoles(db, modules) };
}

/**
 * The tenant of the modules' user provider: OSSYS_TENANT.ESPACE_ID = the modules'
 * OSSYS_ESPACE.USER_PROVIDER_ESPACE_ID (without that column, of the `Users` module); when no tenant
 * belongs to it, the lowest tenant id.
 */
export async function userProviderTenant(db: Knex, modules?: readonly string[]): Promise<string | undefined> {
  let provider: Id | undefined;
  if (await db.schema.hasColumn('OSSYS_ESPACE', 'USER_PROVIDER_ESPACE_ID')) {
    const query = db('OSSYS_ESPACE').select('USER_PROVIDER_ESPACE_ID as p');
    if (modules !== undefined) void query.whereIn('NAME', [...modules]);
    const found = (await query) as { p: Id | null }[];
    provider = found.find((r) => r.p !== null)?.p ?? undefined;
  }
  if (provider === undefined) {
    const users = (await db('OSSYS_ESPACE').select('ID').where({ NAME: 'Users' }).first()) as
      { ID: Id } | undefined;
    provider = users?.ID;
  }
  const tenants = (await db('OSSYS_TENANT').select('ID', 'ESPACE_ID').orderBy('ID')) as {
    ID: Id;
    ESPACE_ID: Id;
  }[];
  const tenant =
    tenants.find((t) => provider !== undefined && text(t.ESPACE_ID) === text(provider)) ?? tenants[0];
  return tenant === undefined ? undefined : text(tenant.ID);
}

async function readGroups(db: Knex): Promise<NamedMembers[]> {
  if (!(await db.schema.hasTable('OSSYS_GROUP')) || !(await db.schema.hasTable('OSSYS_GROUP_USER')))
    return [];
  const groups = await db('OSSYS_GROUP').orderBy('ID').select<{ ID: Id; NAME: unknown }[]>('ID', 'NAME');
  const members: { GROUP_ID: Id; USER_ID: Id }[] = await db('OSSYS_GROUP_USER').select('GROUP_ID', 'USER_ID');
  return withMembers(
    groups,
    members.map((m) => [text(m.GROUP_ID), text(m.USER_ID)]),
  );
}

async function readRoles(db: Knex, modules?: readonly string[]): Promise<NamedMembers[]> {
  if (!(await db.schema.hasTable('OSSYS_ROLE')) || !(await db.schema.hasTable('OSSYS_USER_ROLE'))) return [];
  const query = db('OSSYS_ROLE as r').select('r.ID', 'r.NAME').orderBy('r.ID');
  if (modules !== undefined) {
    void query.join('OSSYS_ESPACE as e', 'e.ID', 'r.ESPACE_ID').whereIn('e.NAME', [...modules]);
  }
  const roles = (await query) as { ID: Id; NAME: unknown }[];
  const grants: { ROLE_ID: Id; USER_ID: Id }[] = await db('OSSYS_USER_ROLE').select('ROLE_ID', 'USER_ID');
  return withMembers(
    roles,
    grants.map((g) => [text(g.ROLE_ID), text(g.USER_ID)]),
  );
}

function withMembers(
  items: readonly { ID: Id; NAME: unknown }[],
  pairs: readonly [string, string][],
): NamedMembers[] {
  const byItem = new Map<string, string[]>();
  for (const [item, user] of pairs) byItem.set(item, [...(byItem.get(item) ?? []), user]);
  return items.map((item) => ({ name: text(item.NAME), userIds: byItem.get(text(item.ID)) ?? [] }));
}
