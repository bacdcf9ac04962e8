// `ferry users`: the O11 end users of the migrated modules' user provider, their groups and role grants,
// into ODC through ODC's User and Access Management API. Plans by default (counts per policy first);
// `--apply` creates, grants and fills, resumably, and writes the user map that `run` uses.

import { FerryError } from '@ferry/core';
import {
  OdcIdentityClient,
  FileIdentityStateStore,
  readO11Directory,
  syncOdcUsers,
  userProviderTenant,
} from '@ferry/adapters/odc-identity';
import type { SyncOdcUsersResult, UserPolicies } from '@ferry/adapters/odc-identity';
import type { CommandContext, CommandHandler } from '../cli/command-context.js';
import type { CliSession } from '../session/cli-session.js';
import { resolveEnv } from '../config/env-resolve.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';
import { requestWindowFile } from '../session/request-window-file.js';
import { userMapPath, writeUserMapFile } from '../session/user-map-file.js';
import { userMaskOf } from '../session/user-mask-load.js';
import { kinds } from '../kinds/kinds.js';

/** Options of `ferry users`. */
export interface UsersOptions {
  readonly apply?: boolean;
}

/** Plans (or with `--apply` moves) the end users, roles and groups. */
export const usersCommand: CommandHandler<UsersOptions> = async (context, options) => {
  const session = await context.session();
  const { config } = session.loaded;
  const kind = kinds.sourceFor('users', config.source);
  const odc = config.users?.odc;
  if (odc === undefined) {
    throw new FerryError('ferry users needs users.odc in the config (portalUrl, clientId, clientSecret)', {
      code: 'FERRY_USERS_CONFIG',
      reason: 'invalid-config',
      operation: 'users',
    });
  }
  const db = await session.source();
  const modules = kind.modules?.(config.source);
  const policies = await policiesOf(session, modules);
  const client = new OdcIdentityClient({
    portalUrl: portalUrl(odc.portalUrl),
    clientId: resolveEnv(odc.clientId, 'users.odc.clientId', context.env),
    clientSecret: resolveEnv(odc.clientSecret, 'users.odc.clientSecret', context.env),
    // ODC counts its limits per organization, not per process: the windows outlive a killed run.
    windows: {
      domain: requestWindowFile(session.path(`.ferry/${session.runId}.users-requests.json`)),
      bulk: requestWindowFile(session.path(`.ferry/${session.runId}.users-bulk-requests.json`)),
    },
  });
  const apply = options.apply === true;
  // A masked mapping (users.mask): ODC gets only the masked e-mails, names and usernames, the same
  // values `run` compares when it matches users by e-mail.
  const mask = userMaskOf(await session.mapping(), session.env);
  const result = await syncOdcUsers({
    client,
    directory: await readO11Directory(db, modules),
    ...(mask === undefined ? {} : { mask }),
    policies,
    state: new FileIdentityStateStore(session.path(`.ferry/${session.runId}.users-state.json`)),
    apply,
    ...(odc.assetKey === undefined ? {} : { assetKey: odc.assetKey }),
    ...(odc.environmentKey === undefined ? {} : { environmentKey: odc.environmentKey }),
    signal: context.signal,
    onProgress: (event) =>
      context.out.note(
        `bulk operation ${event.kind.slice(5)}: ${event.records} users${event.status === undefined ? '' : ` (${event.status})`}`,
      ),
  });
  const mapFile = userMapPath(session);
  if (apply) await writeUserMapFile(mapFile, result.userMap);
  print(context, result, policies, apply ? mapFile : undefined);
  return apply && result.bulkErrors.length > 0 ? ExitCode.failed : ExitCode.ok;
};

async function policiesOf(
  session: CliSession,
  modules: readonly string[] | undefined,
): Promise<UserPolicies> {
  const chosen = session.loaded.config.users?.policies ?? {};
  const tenantId = chosen.tenantId ?? (await userProviderTenant(await session.source(), modules)) ?? '1';
  return { ...chosen, tenantId };
}

/** https, except on the loopback interface (tests, tunnels). */
function portalUrl(url: string): string {
  const parsed = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'https:' || loopback) return parsed.origin;
  throw new FerryError('users.odc.portalUrl must use https (only 127.0.0.1 may use http)', {
    code: 'FERRY_USERS_CONFIG',
    reason: 'invalid-config',
    operation: 'users',
  });
}

function print(
  context: CommandContext,
  result: SyncOdcUsersResult,
  policies: UserPolicies,
  mapFile: string | undefined,
): void {
  const { plan, access } = result;
  const c = plan.counts;
  const { out } = context;
  out.json({
    command: 'users',
    applied: mapFile !== undefined,
    tenantId: policies.tenantId,
    counts: c,
    access,
    created: result.created,
    resumedBulks: result.resumedBulks,
    bulkErrors: result.bulkErrors,
    assigned: result.assigned ?? null,
    mapFile: mapFile ?? null,
  });
  out.line(`O11 end users: ${formatCount(c.o11)} (user provider tenant ${policies.tenantId}).`);
  out.line(
    textTable(
      ['what', 'users', 'policy'],
      [
        ['match an existing ODC user', formatCount(c.matched), 'e-mail (case-insensitive), else username'],
        ['create in ODC', formatCount(c.create), 'POST /users/bulk, 100 a request, 5 a minute'],
        ['inactive', formatCount(c.inactive), `inactive: ${policies.inactive ?? 'skip'}`],
        ['empty e-mail', formatCount(c.emptyEmail), `emptyEmail: ${emptyEmailPolicy(policies)}`],
        [
          'e-mails differing only by case',
          formatCount(c.caseDuplicates),
          `caseDuplicates: ${policies.caseDuplicates ?? 'merge'}`,
        ],
        ['other tenants', formatCount(c.otherTenants), 'reported, not moved'],
      ],
      new Set([1]),
    ),
  );
  out.line(
    `Roles matched by name: ${list(access.rolesMatched)}; without an ODC application role: ${list(access.rolesUnmatched)}; grants to do: ${formatCount(access.grantsToDo)}.`,
  );
  out.line(
    `Groups existing: ${list(access.groupsExisting)}; to create: ${list(access.groupsToCreate)}; members to add: ${formatCount(access.membersToAdd)}.`,
  );
  if (mapFile === undefined) {
    out.line('Nothing written (plan). Run `ferry users --apply` to create, assign and write the user map.');
    return;
  }
  const a = result.assigned;
  out.line(
    `Created ${formatCount(result.created)} users; resumed ${result.resumedBulks} pending bulk operations; granted ${formatCount(a?.granted ?? 0)} roles; created ${a?.groupsCreated ?? 0} groups; added ${formatCount(a?.membersAdded ?? 0)} members.`,
  );
  if (result.bulkErrors.length > 0) {
    const ids = result.bulkErrors.flatMap((e) => e.o11Ids.map((id) => `${id} (${e.errorCode})`));
    out.line(
      `Not created (O11 user ids, ODC error codes): ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', ...' : ''}`,
    );
  }
  out.line(
    `User map (${formatCount(result.userMap.size)} O11 users) written to ${mapFile}; \`ferry run\` uses it.`,
  );
}

function emptyEmailPolicy(policies: UserPolicies): string {
  const policy = policies.emptyEmail ?? 'skip';
  return policy === 'skip' ? 'skip' : `username@${policy.domain}`;
}

const list = (names: readonly string[]): string => (names.length === 0 ? 'none' : names.join(', '));
