// `ferry users` as a library function: plan (always) and apply (on request) the O11 end users, their
// application roles and their groups in ODC. Apply is resumable and idempotent: pending bulk operations
// from an earlier, killed run are polled first; then ODC's user list is read again and re-planned, so a
// user created before the crash is matched, never created twice; a second apply creates nothing.

import { FerryError } from '@ferry/core';
import type { UserMasker } from '@ferry/mapping';
import { sleep } from '../http/http-retry.js';
import type { BulkOperation, OdcIdentityClient } from './identity-client.js';
import { assignRolesAndGroups, planRolesAndGroups } from './roles-groups-sync.js';
import type { AccessPlan, AccessResult, NamedMembers } from './roles-groups-sync.js';
import type { BulkRecord, IdentityState, IdentityStateStore } from './users-state.js';
import { planUsers } from './users-plan.js';
import type { O11EndUser, UserPolicies, UsersPlan, UserToCreate } from './users-plan.js';

/** The O11 side: end users of the tenant's provider, their groups and their role grants. */
export interface O11Directory {
  readonly users: readonly O11EndUser[];
  readonly groups: readonly NamedMembers[];
  readonly roles: readonly NamedMembers[];
}

/** Options of {@link syncOdcUsers}. */
export interface SyncOdcUsersOptions {
  readonly client: OdcIdentityClient;
  readonly directory: O11Directory;
  readonly policies: UserPolicies;
  /** A masked mapping's user masker (`users.mask`): ODC gets only masked values (see `planUsers`). */
  readonly mask?: UserMasker;
  readonly state: IdentityStateStore;
  /** Write (create users, grant roles, fill groups); default false = plan only. */
  readonly apply?: boolean;
  /** Only application roles of this app (asset key). */
  readonly assetKey?: string;
  /** The stage new groups belong to. */
  readonly environmentKey?: string;
  /** Between polls of a pending bulk operation. Default 2000 ms. */
  readonly pollMs?: number;
  /** Records per `POST /users/bulk`. Default 100. */
  readonly bulkSize?: number;
  readonly signal?: AbortSignal;
  /** Progress, without values: bulk operations submitted and finished. */
  readonly onProgress?: (event: {
    kind: 'bulk-submitted' | 'bulk-finished' | 'bulk-resumed';
    records: number;
    status?: string;
  }) => void;
}

/** What {@link syncOdcUsers} found and did. */
export interface SyncOdcUsersResult {
  /** The plan before anything was written. */
  readonly plan: UsersPlan;
  readonly access: AccessPlan;
  /** O11 user id → ODC user key, for every moved O11 user (after apply: created ones too). */
  readonly userMap: ReadonlyMap<string, string>;
  readonly created: number;
  /** Pending operations of an earlier run that were polled instead of resubmitted. */
  readonly resumedBulks: number;
  readonly bulkErrors: readonly { readonly o11Ids: readonly string[]; readonly errorCode: string }[];
  readonly assigned?: AccessResult;
}

/** Plans and, with `apply`, moves the O11 end users, roles and groups into ODC. */
export async function syncOdcUsers(options: SyncOdcUsersOptions): Promise<SyncOdcUsersResult> {
  const signal = options.signal ?? new AbortController().signal;
  const state = await options.state.load();
  const pending = state.bulks.filter((bulk) => bulk.status === 'submitted');
  if (options.apply === true) {
    for (const bulk of pending) {
      options.onProgress?.({ kind: 'bulk-resumed', records: bulk.o11Ids.length });
      await finishBulk(options, state, bulk, signal);
    }
  }
  const { client, directory, policies } = options;
  const plan = planUsers(directory.users, await client.listUsers(signal), policies, options.mask);
  const access = await planRolesAndGroups(client, directory, plan, state, options.assetKey, signal);
  if (options.apply !== true) {
    return { plan, access, userMap: plan.matched, created: 0, resumedBulks: 0, bulkErrors: [] };
  }
  const size = options.bulkSize ?? 100;
  for (let start = 0; start < plan.create.length; start += size) {
    const chunk = plan.create.slice(start, start + size);
    const key = await client.submitBulk(chunk.map(toRecord), signal);
    const bulk: BulkRecord = { key, o11Ids: chunk.map((u) => u.o11Ids), status: 'submitted' };
    state.bulks.push(bulk);
    await options.state.save(state);
    options.onProgress?.({ kind: 'bulk-submitted', records: chunk.length });
    await finishBulk(options, state, bulk, signal);
  }
  const after = planUsers(directory.users, await client.listUsers(signal), policies, options.mask);
  const assigned = await assignRolesAndGroups(client, directory, after.matched, state, options, signal);
  const bulkErrors = state.bulks.flatMap((b) => b.errors ?? []);
  const created = plan.create.length - after.create.length;
  return {
    plan,
    access,
    userMap: after.matched,
    created,
    resumedBulks: options.apply ? pending.length : 0,
    bulkErrors,
    assigned,
  };
}

function toRecord(user: UserToCreate): { name: string; email: string; username: string; isActive: boolean } {
  return { name: user.name, email: user.email, username: user.username, isActive: user.active };
}

/** Polls a bulk operation until it finishes and records its per-item errors in the state. */
async function finishBulk(
  options: SyncOdcUsersOptions,
  state: IdentityState,
  bulk: BulkRecord,
  signal: AbortSignal,
): Promise<void> {
  let operation: BulkOperation;
  for (;;) {
    operation = await options.client.bulkStatus(bulk.key, signal);
    if (operation.status === 'Finished' || operation.status === 'FinishedWithErrors') break;
    await sleep(options.pollMs ?? 2000, signal).catch((cause: unknown) => {
      throw new FerryError('aborted while a bulk operation was pending; run again to resume it', {
        code: 'FERRY_USERS_ABORTED',
        reason: 'aborted',
        cause,
        operation: 'users.bulk',
      });
    });
  }
  bulk.status = operation.status;
  bulk.errors = operation.operations.flatMap((item, index) =>
    item.status === 'Error'
      ? [{ o11Ids: bulk.o11Ids[index] ?? [], errorCode: item.errorCode ?? 'unknown' }]
      : [],
  );
  await options.state.save(state);
  options.onProgress?.({ kind: 'bulk-finished', records: bulk.o11Ids.length, status: operation.status });
}
