// O11 role grants (OSSYS_USER_ROLE) become ODC application-role grants, matched by role name; O11 groups
// (OSSYS_GROUP, OSSYS_GROUP_USER) become ODC groups, matched by name or created, then filled. What was
// done is kept in the state, so a resumed or repeated apply sends only what is missing.

import type { KeyedName, OdcIdentityClient } from './identity-client.js';
import type { IdentityState, IdentityStateStore } from './users-state.js';
import type { UsersPlan } from './users-plan.js';

/** An O11 role or group and the O11 user ids that hold it. */
export interface NamedMembers {
  readonly name: string;
  readonly userIds: readonly string[];
}

/** What the roles and groups part would do. */
export interface AccessPlan {
  /** O11 role names with exactly one ODC application role of that name. */
  readonly rolesMatched: readonly string[];
  /** O11 role names with no (or more than one) ODC application role of that name. */
  readonly rolesUnmatched: readonly string[];
  /** Role grants of moved users (matched or to be created) for matched roles, not yet done. */
  readonly grantsToDo: number;
  readonly groupsExisting: readonly string[];
  readonly groupsToCreate: readonly string[];
  /** Group memberships of moved users not yet done. */
  readonly membersToAdd: number;
}

/** What the roles and groups part did. */
export interface AccessResult {
  readonly granted: number;
  readonly groupsCreated: number;
  readonly membersAdded: number;
}

const lower = (name: string): string => name.trim().toLowerCase();

function unique(items: readonly KeyedName[]): Map<string, string | undefined> {
  const byName = new Map<string, string | undefined>();
  for (const item of items) byName.set(lower(item.name), byName.has(lower(item.name)) ? undefined : item.key);
  return byName;
}

/** Counts what applying would grant, create and add. */
export async function planRolesAndGroups(
  client: OdcIdentityClient,
  directory: { readonly roles: readonly NamedMembers[]; readonly groups: readonly NamedMembers[] },
  plan: UsersPlan,
  state: IdentityState,
  assetKey: string | undefined,
  signal: AbortSignal,
): Promise<AccessPlan> {
  const moved = new Set([...plan.matched.keys(), ...plan.create.flatMap((u) => u.o11Ids)]);
  const keyOf = (id: string): string | undefined => plan.matched.get(id);
  const roles =
    directory.roles.length === 0
      ? new Map<string, string | undefined>()
      : unique(await client.listApplicationRoles(assetKey, signal));
  const groups =
    directory.groups.length === 0
      ? new Map<string, string | undefined>()
      : unique(await client.listGroups(signal));
  const rolesMatched = directory.roles.filter((r) => roles.get(lower(r.name)) !== undefined);
  const grants = new Set(state.grants);
  const members = new Set(state.members);
  let grantsToDo = 0;
  for (const role of rolesMatched) {
    const roleKey = roles.get(lower(role.name)) as string;
    for (const id of new Set(role.userIds)) {
      const key = keyOf(id);
      if (moved.has(id) && (key === undefined || !grants.has(`${key} ${roleKey}`))) grantsToDo += 1;
    }
  }
  let membersToAdd = 0;
  for (const group of directory.groups) {
    const groupKey = state.groups[group.name] ?? groups.get(lower(group.name));
    for (const id of new Set(group.userIds)) {
      const key = keyOf(id);
      if (moved.has(id) && (key === undefined || !members.has(`${groupKey} ${key}`))) membersToAdd += 1;
    }
  }
  return {
    rolesMatched: rolesMatched.map((r) => r.name),
    rolesUnmatched: directory.roles.filter((r) => roles.get(lower(r.name)) === undefined).map((r) => r.name),
    grantsToDo,
    groupsExisting: directory.groups.filter((g) => groups.has(lower(g.name))).map((g) => g.name),
    groupsToCreate: directory.groups.filter((g) => !groups.has(lower(g.name))).map((g) => g.name),
    membersToAdd,
  };
}

/** Grants the roles and fills the groups of the mapped users, skipping what the state says is done. */
export async function assignRolesAndGroups(
  client: OdcIdentityClient,
  directory: { readonly roles: readonly NamedMembers[]; readonly groups: readonly NamedMembers[] },
  userMap: ReadonlyMap<string, string>,
  state: IdentityState,
  options: {
    readonly state: IdentityStateStore;
    readonly assetKey?: string;
    readonly environmentKey?: string;
  },
  signal: AbortSignal,
): Promise<AccessResult> {
  let granted = 0;
  if (directory.roles.length > 0) {
    const roles = unique(await client.listApplicationRoles(options.assetKey, signal));
    const done = new Set(state.grants);
    for (const role of directory.roles) {
      const roleKey = roles.get(lower(role.name));
      if (roleKey === undefined) continue;
      for (const userKey of new Set(role.userIds.flatMap((id) => userMap.get(id) ?? []))) {
        if (done.has(`${userKey} ${roleKey}`)) continue;
        await client.grantRole(userKey, roleKey, signal);
        done.add(`${userKey} ${roleKey}`);
        state.grants.push(`${userKey} ${roleKey}`);
        granted += 1;
        if (granted % 50 === 0) await options.state.save(state);
      }
    }
    await options.state.save(state);
  }
  const { groupsCreated, membersAdded } = await fillGroups(
    client,
    directory.groups,
    userMap,
    state,
    options,
    signal,
  );
  return { granted, groupsCreated, membersAdded };
}

async function fillGroups(
  client: OdcIdentityClient,
  groups: readonly NamedMembers[],
  userMap: ReadonlyMap<string, string>,
  state: IdentityState,
  options: { readonly state: IdentityStateStore; readonly environmentKey?: string },
  signal: AbortSignal,
): Promise<{ groupsCreated: number; membersAdded: number }> {
  if (groups.length === 0) return { groupsCreated: 0, membersAdded: 0 };
  const existing = unique(await client.listGroups(signal));
  const done = new Set(state.members);
  let groupsCreated = 0;
  let membersAdded = 0;
  for (const group of groups) {
    let groupKey = state.groups[group.name] ?? existing.get(lower(group.name));
    if (groupKey === undefined) {
      groupKey = await client.createGroup(group.name, options.environmentKey, signal);
      groupsCreated += 1;
    }
    state.groups[group.name] = groupKey;
    await options.state.save(state);
    const todo = [...new Set(group.userIds.flatMap((id) => userMap.get(id) ?? []))].filter(
      (key) => !done.has(`${groupKey} ${key}`),
    );
    for (let start = 0; start < todo.length; start += 100) {
      const chunk = todo.slice(start, start + 100);
      await client.addGroupUsers(groupKey, chunk, signal);
      state.members.push(...chunk.map((key) => `${groupKey} ${key}`));
      membersAdded += chunk.length;
      await options.state.save(state);
    }
  }
  return { groupsCreated, membersAdded };
}
