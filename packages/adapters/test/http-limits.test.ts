import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createOdcUsers, odcRestSink, RequestLimiter } from '@ferry/adapters/http';
import type { OdcUserInput } from '@ferry/adapters/http';
import { MemoryIdMapStore, startFakeOdcServer } from '@ferry/adapters/http/testing';
import type { FakeOdcServer } from '@ferry/adapters/http/testing';
import { batchOf, context, customers } from './odc-fake/sink-harness.js';

let server: FakeOdcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('request limits', () => {
  it('never starts more than the cap within any sliding window, and keeps concurrency bounded', async () => {
    const limiter = new RequestLimiter({ concurrency: 2, requestsPerWindow: 3, windowMs: 200 });
    const starts: number[] = [];
    let running = 0;
    let maxRunning = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.schedule(async () => {
          starts.push(performance.now());
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 100));
          running -= 1;
        }),
      ),
    );
    expect(maxRunning).toBe(2);
    for (let i = 3; i < starts.length; i++) expect(starts[i]! - starts[i - 3]!).toBeGreaterThanOrEqual(200);
    // Spread over the window: one start every windowMs / cap, not the cap at once.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(64);
  });

  it('leaves no abort listener behind on a run-long signal (p-queue 8 would leak one per request)', async () => {
    const limiter = new RequestLimiter({ concurrency: 2, requestsPerWindow: 50, windowMs: 100 });
    const controller = new AbortController();
    await Promise.all(
      Array.from({ length: 40 }, () => limiter.schedule(() => Promise.resolve(1), controller.signal)),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('holds a requests-per-minute limit as counted by the server, across sinks sharing a limiter', async () => {
    const windowMs = 400;
    server = await startFakeOdcServer({ windowMs, requestsPerWindow: 4 });
    const idMap = new MemoryIdMapStore();
    const limiter = new RequestLimiter({ concurrency: 3, requestsPerWindow: 4, windowMs });
    const common = { baseUrl: server.url, idMap, limiter, maxRows: 5 };
    const a = odcRestSink({ ...common, entity: 'Customer' });
    const b = odcRestSink({ ...common, entity: 'Supplier' });
    const started = performance.now();
    await Promise.all([
      a.write(batchOf(customers(30)), context('Customer')),
      b.write(batchOf(customers(30)), context('Supplier')),
    ]);
    const elapsed = performance.now() - started;
    expect(server.log.entries).toHaveLength(12);
    // the server would have answered 429 past its limit: none were needed
    expect(server.log.outcomes()).toEqual({ 200: 12 });
    expect(server.log.maxInAnyWindow()).toBeLessThanOrEqual(4);
    expect(elapsed).toBeGreaterThanOrEqual(2 * windowMs);
    expect(server.rows('Customer').size + server.rows('Supplier').size).toBe(60);
  });

  it('the fake server itself counts a burst over its limit (the check above can fail)', async () => {
    server = await startFakeOdcServer({ windowMs: 400, requestsPerWindow: 4 });
    const sink = odcRestSink({
      baseUrl: server.url,
      idMap: new MemoryIdMapStore(),
      entity: 'Customer',
      maxRows: 5,
      retry: { retries: 0 },
    });
    await sink.write(batchOf(customers(30)), context('Customer')).catch(() => undefined);
    expect(server.log.maxInAnyWindow()).toBeGreaterThan(4);
    expect(server.log.outcomes()[429]).toBeGreaterThan(0);
  });
});

describe('createOdcUsers', () => {
  const users = (count: number): OdcUserInput[] =>
    Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `User ${i + 1}`,
      email: `User${i + 1}@Example.com`,
    }));

  it('creates users in calls of at most 100, at most N per window, and fills the user map', async () => {
    const windowMs = 300;
    server = await startFakeOdcServer({ windowMs, userCallsPerWindow: 2, token: 't0k3n-value' });
    const userMap = new MemoryIdMapStore();
    const input = users(450);
    const result = await createOdcUsers({
      baseUrl: server.url,
      auth: { bearerToken: 't0k3n-value' },
      users: input,
      callsPerMinute: 2,
      windowMs,
      userMap,
    });
    expect(result.calls).toBe(5);
    expect(result.created).toBe(450);
    const calls = server.log.entries.filter((e) => e.method === 'CreateUsers');
    expect(calls.map((c) => c.records)).toEqual([100, 100, 100, 100, 50]);
    expect(calls.every((c) => c.outcome === 200)).toBe(true);
    expect(server.log.maxInAnyWindow((e) => e.method === 'CreateUsers')).toBeLessThanOrEqual(2);
    const byEmail = server.users();
    for (const user of input) {
      const odcId = byEmail.get(user.email.toLowerCase())!.id;
      expect(result.users.get(String(user.id))).toBe(odcId);
      expect(userMap.entries('User').get(String(user.id))).toBe(odcId);
    }
  });

  it('skips users already in the map, so a resumed run spends no calls on them', async () => {
    server = await startFakeOdcServer({ windowMs: 300 });
    const userMap = new MemoryIdMapStore();
    const common = { baseUrl: server.url, callsPerMinute: 5, windowMs: 300, userMap };
    await createOdcUsers({ ...common, users: users(150) });
    const again = await createOdcUsers({ ...common, users: users(220) });
    // 100 known (no call), 50 known + 50 new (one call), 20 new (one call)
    expect(again).toMatchObject({ created: 70, skipped: 150, calls: 2 });
    expect(again.users.size).toBe(220);
    expect(server.users().size).toBe(220);
  });

  it('refuses limits over ODC’s and users without an email', async () => {
    server = await startFakeOdcServer();
    const base = { baseUrl: server.url, users: users(1) };
    await expect(createOdcUsers({ ...base, batchSize: 101 })).rejects.toThrow(/batchSize/);
    await expect(createOdcUsers({ ...base, callsPerMinute: 6 })).rejects.toThrow(/callsPerMinute/);
    await expect(createOdcUsers({ ...base, users: [{ id: 7, name: 'N', email: ' ' }] })).rejects.toThrow(
      /O11 user 7 has no email/,
    );
  });
});
