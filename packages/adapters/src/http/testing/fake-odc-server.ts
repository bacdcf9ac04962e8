// A fake ODC app for tests and examples: a real node:http server on 127.0.0.1 (random port) that
// implements docs/odc-endpoint-contract.md — bulk upsert per entity and user creation — and misbehaves
// on demand: 500s, 429 with Retry-After, hangs, connections dropped after commit, per-window limits.

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan } from './fake-odc-faults.js';
import type { FakeOdcFaults, FaultKind } from './fake-odc-faults.js';
import { FakeOdcStore } from './fake-odc-store.js';
import type { StoredRecord } from './fake-odc-store.js';
import { RequestLog } from './fake-odc-log.js';
import type { RequestLogEntry } from './fake-odc-log.js';

/** Options of {@link startFakeOdcServer}. */
export interface FakeOdcServerOptions {
  /** Seed of the fault generator. Default 1. */
  readonly seed?: number;
  readonly faults?: FakeOdcFaults;
  /** Reference checks: entity → attribute → target entity. A value must be an id issued for the target. */
  readonly references?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Requests allowed per window on entity endpoints before 429s; unlimited when absent. */
  readonly requestsPerWindow?: number;
  /** User-creation calls allowed per window (ODC: 5 a minute). Default 5. */
  readonly userCallsPerWindow?: number;
  /** The window of both limits, in ms. Default 60_000; tests use short ones. */
  readonly windowMs?: number;
  /** Users per call (ODC: 100). Default 100. */
  readonly usersPerCall?: number;
  /** Largest request body, in bytes (ODC: 28.6 MB). */
  readonly maxBodyBytes?: number;
}

/** A running fake ODC app. */
export interface FakeOdcServer {
  /** Base URL of the fake REST API, e.g. `http://127.0.0.1:43117/FerryTest/rest/FerryImport`. */
  readonly url: string;
  /** Change the random and periodic faults while running. */
  faults: FakeOdcFaults;
  /** Queue faults for the next requests. */
  failNext(kind: FaultKind, count?: number): void;
  /** Stored records of an entity by source key. */
  rows(entity: string): ReadonlyMap<string, StoredRecord>;
  /** Users by lower-cased email. */
  users(): ReadonlyMap<string, { readonly id: string; readonly sourceKeys: ReadonlySet<string> }>;
  /** Every request received, in arrival order. */
  readonly log: RequestLog;
  close(): Promise<void>;
}

export type { RequestLogEntry };

/** Starts the fake app on 127.0.0.1 with a random port. */
export async function startFakeOdcServer(options: FakeOdcServerOptions = {}): Promise<FakeOdcServer> {
  const plan = new FaultPlan(options.faults ?? {}, options.seed ?? 1);
  const store = new FakeOdcStore(options.references);
  const log = new RequestLog(options.windowMs ?? 60_000);
  const handler = new FakeOdcHandler(options, plan, store, log);
  const server = createServer((req, res) => {
    handler.handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    get faults() {
      return plan.faults;
    },
    set faults(faults: FakeOdcFaults) {
      plan.faults = faults;
    },
    failNext: (kind, count) => plan.failNext(kind, count),
    rows: (entity) => store.rows(entity),
    users: () => store.users(),
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

const BASE_PATH = '/FerryTest/rest/FerryImport';

class FakeOdcHandler {
  constructor(
    private readonly options: FakeOdcServerOptions,
    private readonly plan: FaultPlan,
    private readonly store: FakeOdcStore,
    private readonly log: RequestLog,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const method = path.startsWith(`${BASE_PATH}/`) ? path.slice(BASE_PATH.length + 1) : '';
    const entry = this.log.arrive(method);
    const text = await readBody(req, this.options.maxBodyBytes ?? 28_600_000);
    if (text === undefined) return this.answer(res, entry, 413, { Errors: ['Request entity too large'] });
    const known = method === 'CreateUsers' || method.startsWith('Upsert') || method.startsWith('Delete');
    if (req.method !== 'POST' || !known) {
      return this.answer(res, entry, 404, { Errors: [`No such method ${method}`] });
    }
    const auth = req.headers.authorization ?? '';
    if (this.options.token !== undefined && auth !== `Bearer ${this.options.token}`) {
      return this.answer(res, entry, 401, { Errors: ['Unauthorized'] });
    }
    if (method === 'CreateUsers') return this.users(res, entry, text);
    const limit = this.options.requestsPerWindow;
    if (limit !== undefined && this.log.inWindow(entry, (e) => e.method !== 'CreateUsers') > limit) {
      return this.answer(res, entry, 429, { Errors: ['Too many requests'] }, { 'retry-after': '1' });
    }
    const fault = this.plan.next();
    if (fault === 'error') return this.answer(res, entry, 500, { Errors: ['Internal error (injected)'] });
    if (fault === 'rate-limit') {
      return this.answer(
        res,
        entry,
        429,
        { Errors: ['Slow down (injected)'] },
        { 'retry-after': this.plan.retryAfter() },
      );
    }
    let body: { entity?: unknown; records?: unknown; sourceKeys?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return this.answer(res, entry, 400, { Errors: ['Body is not JSON'] });
    }
    if (fault === 'bad-request') {
      const echo = `Cannot store ${String(body.entity)}: ${JSON.stringify(body.records)} (sent with ${auth})`;
      return this.answer(res, entry, 400, { Errors: [echo] });
    }
    if (method.startsWith('Delete')) return this.delete(res, entry, method, body, fault);
    const records = body.records;
    if (`Upsert${String(body.entity)}` !== method || !Array.isArray(records) || !records.every(isRecord)) {
      return this.answer(res, entry, 400, { Errors: ['Expected { entity, records: [{ sourceKey, ... }] }'] });
    }
    const invalid = this.store.checkReferences(body.entity as string, records);
    if (invalid !== undefined) return this.answer(res, entry, 422, { Errors: [invalid] });
    const pairs = this.store.upsert(body.entity as string, records);
    entry.records = pairs.length;
    // Integer ids go out as JSON numbers past 2^53, like ODC serialises Long Integer.
    const answer = `[${pairs.map(([key, id]) => `{"sourceKey":${JSON.stringify(key)},"id":${id}}`).join(',')}]`;
    if (fault === 'drop') return this.drop(res, entry);
    if (fault === 'hang') return void (entry.outcome = 'hung');
    this.answerText(res, entry, 200, answer);
  }

  /** `Delete<Entity>`: `{ entity, sourceKeys }` → `[{ sourceKey, deleted }]`, all or nothing. */
  delete(
    res: ServerResponse,
    entry: RequestLogEntry,
    method: string,
    body: { entity?: unknown; sourceKeys?: unknown },
    fault: FaultKind | undefined,
  ): void {
    const keys = body.sourceKeys;
    if (
      `Delete${String(body.entity)}` !== method ||
      !Array.isArray(keys) ||
      !keys.every((k) => typeof k === 'string')
    ) {
      return this.answer(res, entry, 400, { Errors: ['Expected { entity, sourceKeys: ["..."] }'] });
    }
    const refused = this.store.checkDeletes(body.entity as string, keys);
    if (refused !== undefined) return this.answer(res, entry, 409, { Errors: [refused] });
    const answer = this.store.delete(body.entity as string, keys);
    entry.records = answer.length;
    if (fault === 'drop') return this.drop(res, entry);
    if (fault === 'hang') return void (entry.outcome = 'hung');
    this.answer(
      res,
      entry,
      200,
      answer.map(([sourceKey, deleted]) => ({ sourceKey, deleted })),
    );
  }

  users(res: ServerResponse, entry: RequestLogEntry, text: string): void {
    if (
      this.log.inWindow(entry, (e) => e.method === 'CreateUsers') > (this.options.userCallsPerWindow ?? 5)
    ) {
      return this.answer(
        res,
        entry,
        429,
        { Errors: ['User API limit: 5 calls a minute'] },
        { 'retry-after': '1' },
      );
    }
    const users = (JSON.parse(text) as { users?: unknown }).users;
    if (!Array.isArray(users) || !users.every(isUser)) {
      return this.answer(res, entry, 400, { Errors: ['Expected { users: [{ sourceKey, name, email }] }'] });
    }
    if (users.length > (this.options.usersPerCall ?? 100)) {
      return this.answer(res, entry, 400, { Errors: ['At most 100 users per call'] });
    }
    const pairs = this.store.createUsers(users);
    entry.records = pairs.length;
    this.answer(
      res,
      entry,
      200,
      pairs.map(([sourceKey, id]) => ({ sourceKey, id })),
    );
  }

  answer(res: ServerResponse, entry: RequestLogEntry, status: number, body: unknown, headers = {}): void {
    this.answerText(res, entry, status, JSON.stringify(body), headers);
  }

  answerText(res: ServerResponse, entry: RequestLogEntry, status: number, text: string, headers = {}): void {
    entry.outcome = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  }

  drop(res: ServerResponse, entry: RequestLogEntry): void {
    entry.outcome = 'dropped';
    res.socket?.destroy();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { sourceKey?: unknown }).sourceKey === 'string'
  );
}

function isUser(value: unknown): value is { sourceKey: string; email: string } {
  return isRecord(value) && typeof value.email === 'string';
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
}
