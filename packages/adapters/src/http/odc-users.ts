// End users: creates (or finds) ODC users for O11 users through an ODC app endpoint and fills the user
// map (O11 user id → ODC user id) that the mapping uses for User Identifier attributes. ODC's user
// management allows at most 100 users per call and 5 calls a minute, so calls are batched and paced,
// and users already in the map are skipped, which makes a resumed run cheap.

import { FerryError } from '@ferry/core';
import type { IdMapStore } from '@ferry/core';
import { postJson } from './http-call.js';
import { parseIdResponse } from './id-response.js';
import { displayEndpoint, odcAppSettings } from './odc-app-settings.js';
import { joinEndpoint, positiveInt } from './odc-rest-options.js';
import type { OdcAppOptions } from './odc-rest-options.js';
import { RequestLimiter } from './request-limiter.js';

/** An O11 end user to create in ODC. Never carries a password. */
export interface OdcUserInput {
  /** OSSYS_USER.ID, as a string or integer. */
  readonly id: string | number | bigint;
  readonly name: string;
  readonly email: string;
  readonly username?: string;
}

/** Options of {@link createOdcUsers}. */
export interface CreateOdcUsersOptions extends Omit<OdcAppOptions, 'requestsPerMinute' | 'concurrency'> {
  readonly users: Iterable<OdcUserInput> | AsyncIterable<OdcUserInput>;
  /** Method path under `baseUrl`. Default `CreateUsers`. */
  readonly path?: string;
  /** Users per call, at most 100 (ODC's limit). Default 100. */
  readonly batchSize?: number;
  /** Calls per minute, at most 5 (ODC's limit). Default 5. */
  readonly callsPerMinute?: number;
  /** Where the pairs go; users already in it are skipped. */
  readonly userMap?: IdMapStore;
  /** The id map's entity for users. Default `User`. */
  readonly userEntity?: string;
  readonly signal?: AbortSignal;
}

/** What {@link createOdcUsers} did. */
export interface CreateOdcUsersResult {
  /** O11 user id → ODC user id, for every input user (created now or found in the map). */
  readonly users: ReadonlyMap<string, string>;
  readonly created: number;
  readonly skipped: number;
  readonly calls: number;
}

/**
 * Creates ODC users in calls of at most 100, at most 5 calls per minute, and fills the user map.
 *
 * @throws FerryError `FERRY_HTTP_USER_EMAIL` for a user without an email (ODC matches users by email).
 */
export async function createOdcUsers(options: CreateOdcUsersOptions): Promise<CreateOdcUsersResult> {
  const batchSize = positiveInt('batchSize', options.batchSize, 100, 100);
  const callsPerMinute = positiveInt('callsPerMinute', options.callsPerMinute, 5, 5);
  const limiter =
    options.limiter ??
    new RequestLimiter({ concurrency: 1, requestsPerWindow: callsPerMinute, ...windowOf(options.windowMs) });
  const settings = odcAppSettings({ ...options, limiter });
  const url = joinEndpoint(settings.baseUrl, options.path ?? 'CreateUsers');
  const entity = options.userEntity ?? 'User';
  const signal = options.signal ?? new AbortController().signal;
  const users = new Map<string, string>();
  let created = 0;
  let skipped = 0;
  let calls = 0;
  const flush = async (pending: OdcUserInput[]): Promise<void> => {
    const keys = pending.map((user) => String(user.id));
    const known = (await options.userMap?.get(entity, keys)) ?? new Map<string, string>();
    for (const [key, id] of known) users.set(key, id);
    skipped += known.size;
    const todo = pending.filter((user) => !known.has(String(user.id)));
    if (todo.length === 0) return;
    const sent = todo.map((user) => String(user.id));
    const where = { entity, endpoint: displayEndpoint(url), keys: [sent[0]!, sent[sent.length - 1]!] };
    const body = JSON.stringify({ users: todo.map((user) => toRecord(user, entity)) });
    const pairs = parseIdResponse(await postJson(url, body, where, settings, signal), sent, where);
    calls += 1;
    await options.userMap?.put(entity, pairs);
    for (const [key, id] of pairs) users.set(key, id);
    created += pairs.length;
  };
  let pending: OdcUserInput[] = [];
  for await (const user of options.users) {
    pending.push(user);
    if (pending.length >= batchSize) {
      await flush(pending);
      pending = [];
    }
  }
  await flush(pending);
  return { users, created, skipped, calls };
}

function windowOf(windowMs: number | undefined): { windowMs?: number } {
  return windowMs === undefined ? {} : { windowMs };
}

function toRecord(user: OdcUserInput, entity: string): Record<string, string> {
  const sourceKey = String(user.id);
  if (user.email.trim() === '') {
    throw new FerryError(
      `O11 user ${sourceKey} has no email; ODC users need one (fix it or exclude the user)`,
      {
        code: 'FERRY_HTTP_USER_EMAIL',
        reason: 'invalid-data',
        entity,
        attribute: 'Email',
        key: [sourceKey],
      },
    );
  }
  return { sourceKey, name: user.name, email: user.email, username: user.username ?? user.email };
}
