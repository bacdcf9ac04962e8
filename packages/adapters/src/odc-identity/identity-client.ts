// The calls Ferry makes to ODC's User and Access Management API (OpenAPI document in the public
// OutSystems/docs-odc repository), typed with the fields Ferry reads. Lists page 100 at a time until
// the page is short; bulk creation is asynchronous: submit, then poll the operation by its key.

import type { FetchLike } from '../http/http-call.js';
import { IdentityHttp } from './identity-http.js';
import type { IdentityHttpOptions } from './identity-http.js';
import { ClientCredentialsToken } from './identity-token.js';
import type { ClientCredentials } from './identity-token.js';

/** An ODC user as `GET /users` lists it (the fields Ferry uses). */
export interface OdcIdentityUser {
  readonly key: string;
  readonly email: string | null;
  readonly name: string | null;
  /** From `embed=UserIdentityProviders`: the usernames of the user's identity provider profiles. */
  readonly usernames: readonly string[];
}

/** One record of `POST /users/bulk` (UserProfileCreateApiRequest). */
export interface BulkUserRecord {
  readonly name: string;
  readonly email: string;
  readonly username?: string;
  readonly isActive?: boolean;
  readonly addToBuiltInIdentityProvider?: boolean;
}

/** A bulk operation's state (BulkUserProfileOperationApiRecordBulkApiResponse). */
export interface BulkOperation {
  readonly key: string;
  readonly status: 'Pending' | 'Processing' | 'Finished' | 'FinishedWithErrors';
  readonly operations: readonly {
    readonly status: 'Error' | 'Inserted' | 'Updated' | 'Deleted';
    readonly errorCode?: string | null;
    readonly record?: { readonly key?: string | null; readonly email?: string | null } | null;
  }[];
}

/** A named thing with a key: an application role or a group. */
export interface KeyedName {
  readonly key: string;
  readonly name: string;
}

/** Options of {@link OdcIdentityClient}. */
export interface OdcIdentityClientOptions
  extends ClientCredentials, Omit<IdentityHttpOptions, 'baseUrl' | 'tokens' | 'fetch'> {
  /** Default: the global fetch. */
  readonly fetch?: FetchLike;
  /** Default `<portalUrl>/api/identity/v1`. */
  readonly baseUrl?: string;
}

const PAGE = 100;

/** A client of the ODC User and Access Management API. */
export class OdcIdentityClient {
  readonly tokens: ClientCredentialsToken;
  readonly http: IdentityHttp;

  constructor(options: OdcIdentityClientOptions) {
    const fetchLike = options.fetch ?? ((url, init) => fetch(url, init));
    this.tokens = new ClientCredentialsToken(options, fetchLike);
    const baseUrl = options.baseUrl ?? new URL('/api/identity/v1', options.portalUrl).href;
    this.http = new IdentityHttp({ ...options, baseUrl, tokens: this.tokens, fetch: fetchLike });
  }

  /** Every ODC user, 100 a page (`GET /users`), with their identity provider usernames. */
  async listUsers(signal: AbortSignal): Promise<OdcIdentityUser[]> {
    const rows = await this.#pages('/users', { embed: 'UserIdentityProviders' }, signal);
    return rows.map((row) => {
      const profiles = (row['_embedded'] as { userIdentityProviders?: { username?: string | null }[] } | null)
        ?.userIdentityProviders;
      const usernames = (profiles ?? []).flatMap((p) => (typeof p.username === 'string' ? [p.username] : []));
      return {
        key: String(row['key']),
        email: typeof row['email'] === 'string' ? row['email'] : null,
        name: typeof row['name'] === 'string' ? row['name'] : null,
        usernames,
      };
    });
  }

  /** Submits a bulk creation (`POST /users/bulk`, at most 5 a minute) and returns its operation key. */
  async submitBulk(records: readonly BulkUserRecord[], signal: AbortSignal): Promise<string> {
    const answer = (await this.http.send(
      { method: 'POST', path: '/users/bulk', body: { records }, bulk: true },
      signal,
    )) as { key?: unknown } | undefined;
    if (typeof answer?.key !== 'string')
      throw new TypeError('POST /users/bulk answered without an operation key');
    return answer.key;
  }

  /** The state of a bulk operation (`GET /users/bulk/{key}`). */
  async bulkStatus(key: string, signal: AbortSignal): Promise<BulkOperation> {
    const answer = (await this.http.send(
      { method: 'GET', path: `/users/bulk/${encodeURIComponent(key)}` },
      signal,
    )) as Partial<BulkOperation>;
    return { key, status: answer.status ?? 'Pending', operations: answer.operations ?? [] };
  }

  /** Application roles (`GET /application-roles`), optionally of one app (asset). */
  async listApplicationRoles(assetKey: string | undefined, signal: AbortSignal): Promise<KeyedName[]> {
    return named(await this.#pages('/application-roles', { assetKey }, signal));
  }

  /** Grants an application role to a user (`POST /users/{key}/application-roles/{roleKey}`). */
  async grantRole(userKey: string, roleKey: string, signal: AbortSignal): Promise<void> {
    const path = `/users/${encodeURIComponent(userKey)}/application-roles/${encodeURIComponent(roleKey)}`;
    await this.http.send({ method: 'POST', path }, signal);
  }

  /** Groups (`GET /groups`). */
  async listGroups(signal: AbortSignal): Promise<KeyedName[]> {
    return named(await this.#pages('/groups', {}, signal));
  }

  /** Creates a group (`POST /groups`) and returns its key. */
  async createGroup(name: string, environmentKey: string | undefined, signal: AbortSignal): Promise<string> {
    const body = environmentKey === undefined ? { name } : { name, environmentKey };
    const answer = (await this.http.send({ method: 'POST', path: '/groups', body }, signal)) as {
      key?: unknown;
    };
    if (typeof answer.key !== 'string') throw new TypeError('POST /groups answered without a key');
    return answer.key;
  }

  /** Adds users to a group (`PATCH /groups/{key}/users`). */
  async addGroupUsers(groupKey: string, userKeys: readonly string[], signal: AbortSignal): Promise<void> {
    const path = `/groups/${encodeURIComponent(groupKey)}/users`;
    await this.http.send({ method: 'PATCH', path, body: { userKeysToAdd: userKeys } }, signal);
  }

  async #pages(
    path: string,
    query: Readonly<Record<string, string | undefined>>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = (await this.http.send(
        { method: 'GET', path, query: { ...query, limit: PAGE, offset } },
        signal,
      )) as { results?: Record<string, unknown>[] | null } | undefined;
      const results = answer?.results ?? [];
      all.push(...results);
      if (results.length < PAGE) return all;
    }
  }
}

function named(rows: readonly Record<string, unknown>[]): KeyedName[] {
  return rows.map((row) => ({
    key: String(row['key']),
    name: typeof row['name'] === 'string' ? row['name'] : '',
  }));
}
