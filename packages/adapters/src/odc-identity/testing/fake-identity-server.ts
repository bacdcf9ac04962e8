// A fake ODC portal for tests and the CLI acceptance run: a real node:http server on 127.0.0.1 with the
// OIDC discovery document, the client-credentials token endpoint and the User and Access Management
// endpoints Ferry uses, holding ODC's rate limits (429 with `x-envoy-ratelimited`) and misbehaving on
// demand: 429s, 5xx, bulk items that fail, tokens that expire mid-run. Every exchange is handed to
// `onExchange`, where tests validate it against the public OpenAPI document.

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeIdentityStore } from './fake-identity-store.js';

/** One request and its answer, for validation and assertions. */
export interface IdentityExchange {
  readonly method: string;
  /** The path under `/api/identity/v1` (e.g. `/users/bulk/{key}` filled in), or the auth path. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseBody: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** ms since the server started. */
  readonly at: number;
}

/** Faults the next requests get. */
export type IdentityFault = '429' | '500' | '503' | '401';

/** Options of {@link startFakeIdentityServer}. */
export interface FakeIdentityServerOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Lifetime of issued tokens. Default 43_200 (ODC: 12 hours). */
  readonly tokenTtlSeconds?: number;
  /** Window of the limits, in ms. Default 60_000. */
  readonly windowMs?: number;
  /** Requests per window to the API domain. Default 100 (ODC's). */
  readonly domainPerWindow?: number;
  /** `POST /users/bulk` per window. Default 5 (ODC's). */
  readonly bulkPerWindow?: number;
  /** Polls that answer Pending/Processing before a bulk operation finishes. Default 1. */
  readonly bulkPendingPolls?: number;
  /** Bulk items with these e-mails finish with an error. */
  readonly failEmails?: (email: string) => boolean;
  readonly roles?: readonly string[];
  readonly groups?: readonly string[];
  readonly onExchange?: (exchange: IdentityExchange) => void;
}

/** A running fake portal. */
export interface FakeIdentityServer {
  /** The portal origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly store: FakeIdentityStore;
  readonly exchanges: IdentityExchange[];
  /** The next `count` API requests get `fault`. */
  failNext(fault: IdentityFault, count?: number): void;
  /** Every issued token expires now (the next API call gets 401). */
  expireTokens(): void;
  /** While true, bulk operations stay Pending. */
  holdBulks: boolean;
  /** Tokens issued so far. */
  tokensIssued(): number;
  close(): Promise<void>;
}

const API = '/api/identity/v1';

/** Starts the fake portal on 127.0.0.1 with a random port. */
export async function startFakeIdentityServer(
  options: FakeIdentityServerOptions,
): Promise<FakeIdentityServer> {
  const store = new FakeIdentityStore();
  for (const role of options.roles ?? []) store.addRole(role);
  for (const group of options.groups ?? []) store.addGroup(group);
  const started = Date.now();
  const exchanges: IdentityExchange[] = [];
  const faults: IdentityFault[] = [];
  const tokens = new Map<string, number>();
  const windowMs = options.windowMs ?? 60_000;
  const domainHits: number[] = [];
  const bulkHits: number[] = [];
  let issued = 0;
  const fake: FakeIdentityServer = {
    url: '',
    store,
    exchanges,
    holdBulks: false,
    failNext: (fault, count = 1) => faults.push(...Array<IdentityFault>(count).fill(fault)),
    expireTokens: () => tokens.clear(),
    tokensIssued: () => issued,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const within = (hits: number[], cap: number, now: number): boolean => {
    while (hits.length > 0 && hits[0]! <= now - windowMs) hits.shift();
    if (hits.length >= cap) return false;
    hits.push(now);
    return true;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      const text = body === undefined ? '' : JSON.stringify(body);
      const path = url.pathname.startsWith(API) ? url.pathname.slice(API.length) : url.pathname;
      const exchange: IdentityExchange = {
        method: req.method ?? 'GET',
        path,
        query,
        requestBody: parseJson(raw),
        status,
        responseBody: body,
        headers,
        at: Date.now() - started,
      };
      exchanges.push(exchange);
      options.onExchange?.(exchange);
      res.writeHead(status, {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      });
      res.end(text);
    };
    const problem = (status: number, title: string, headers: Record<string, string> = {}): void =>
      send(status, { type: 'about:blank', title, status, traceId: randomUUID() }, headers);
    if (url.pathname === '/identity/.well-known/openid-configuration') {
      send(200, {
        issuer: `${fake.url}/identity`,
        token_endpoint: `${fake.url}/identity/connect/token`,
        grant_types_supported: ['client_credentials'],
      });
      return;
    }
    if (url.pathname === '/identity/connect/token' && req.method === 'POST') {
      const form = new URLSearchParams(raw);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== options.clientId ||
        form.get('client_secret') !== options.clientSecret
      ) {
        send(401, { error: 'invalid_client' });
        return;
      }
      const token = randomUUID();
      const ttl = options.tokenTtlSeconds ?? 43_200;
      tokens.set(token, Date.now() + ttl * 1000);
      issued += 1;
      send(200, { access_token: token, expires_in: ttl, token_type: 'Bearer' });
      return;
    }
    if (!url.pathname.startsWith(API)) return problem(404, 'Not Found');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expires = bearer === undefined ? undefined : tokens.get(bearer);
    const fault = faults.shift();
    if (fault === '401' || expires === undefined || expires < Date.now()) return problem(401, 'Unauthorized');
    if (fault === '429') return problem(429, 'Too Many Requests', { 'x-envoy-ratelimited': 'true' });
    if (fault !== undefined) return problem(Number(fault), 'Server Error');
    const now = Date.now();
    if (!within(domainHits, options.domainPerWindow ?? 100, now)) {
      return problem(429, 'Too Many Requests', { 'x-envoy-ratelimited': 'true' });
    }
    const path = url.pathname.slice(API.length);
    if (
      path === '/users/bulk' &&
      req.method === 'POST' &&
      !within(bulkHits, options.bulkPerWindow ?? 5, now)
    ) {
      return problem(429, 'Too Many Requests', { 'x-envoy-ratelimited': 'true' });
    }
    route(req.method ?? 'GET', path, query, parseJson(raw), store, options, fake, send, problem);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (fake as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

type Send = (status: number, body?: unknown) => void;

function route(
  method: string,
  path: string,
  query: Record<string, string>,
  body: unknown,
  store: FakeIdentityStore,
  options: FakeIdentityServerOptions,
  fake: FakeIdentityServer,
  send: Send,
  problem: (status: number, title: string) => void,
): void {
  const parts = path.split('/').filter((p) => p !== '');
  const page = <T>(items: readonly T[], map: (item: T) => unknown): void => {
    const limit = Number(query['limit'] ?? 100);
    const offset = Number(query['offset'] ?? 0);
    if (!(limit >= 1 && limit <= 100)) return problem(400, 'limit must be 1 to 100');
    const results = items.slice(offset, offset + limit).map(map);
    send(200, { results, page: { count: results.length, limit, offset, totalResults: items.length } });
  };
  if (method === 'GET' && path === '/users') {
    const embed = query['embed'] === 'UserIdentityProviders';
    return page(store.users, (u) => store.userResponse(u, embed));
  }
  if (method === 'POST' && path === '/users/bulk') {
    const records = (body as { records?: Record<string, unknown>[] } | undefined)?.records;
    if (!Array.isArray(records) || records.length === 0 || records.length > 100) {
      return problem(400, 'records must hold 1 to 100 users');
    }
    return send(202, { key: store.submitBulk(records), status: 'Pending', operations: [] });
  }
  if (method === 'GET' && parts[0] === 'users' && parts[1] === 'bulk' && parts.length === 3) {
    const polled = store.pollBulk(
      parts[2]!,
      options.bulkPendingPolls ?? 1,
      fake.holdBulks,
      options.failEmails ?? (() => false),
    );
    return polled === undefined ? problem(404, 'Not Found') : send(200, { key: parts[2], ...polled });
  }
  if (method === 'GET' && path === '/application-roles') {
    return page(store.roles, (r) => ({
      ...r,
      environmentKey: store.environmentKey,
      assetKey: store.assetKey,
    }));
  }
  if (method === 'POST' && parts[0] === 'users' && parts[2] === 'application-roles' && parts.length === 4) {
    const user = store.users.find((u) => u.key === parts[1]);
    const role = store.roles.find((r) => r.key === parts[3]);
    if (user === undefined || role === undefined) return problem(404, 'Not Found');
    store.grants.add(`${user.key} ${role.key}`);
    return send(201);
  }
  if (method === 'GET' && path === '/groups') {
    return page(store.groups, (g) => ({ key: g.key, name: g.name, environmentKey: store.environmentKey }));
  }
  if (method === 'POST' && path === '/groups') {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name === '') return problem(400, 'name is required');
    return send(201, { key: store.addGroup(name) });
  }
  if (method === 'PATCH' && parts[0] === 'groups' && parts[2] === 'users' && parts.length === 3) {
    const group = store.groups.find((g) => g.key === parts[1]);
    if (group === undefined) return problem(404, 'Not Found');
    const add = (body as { userKeysToAdd?: string[] } | undefined)?.userKeysToAdd ?? [];
    if (add.some((key) => !store.users.some((u) => u.key === key))) return problem(404, 'User not found');
    for (const key of add) group.members.add(key);
    return send(200);
  }
  problem(404, 'Not Found');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
