// Smoke test: the example program against the fake ODC app (a real HTTP server on 127.0.0.1): every
// record stored once, Order.CustomerId on the app's own customer ids, and a re-run writes nothing.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOdcServer, type FakeOdcServer } from '@ferry/adapters/http/testing';
import { migrateJsonToOdc } from './migrate.js';

let server: FakeOdcServer;
let stateDir: string;
beforeAll(async () => {
  server = await startFakeOdcServer({
    token: 'example-token',
    references: { Order: { CustomerId: 'Customer' } },
  });
  stateDir = await mkdtemp(join(tmpdir(), 'ferry-json-odc-'));
});
afterAll(async () => {
  await server.close();
  await rm(stateDir, { recursive: true, force: true });
});

it('moves the JSON files into the app, references on ODC ids, once', async () => {
  const options = {
    dataDir: join(import.meta.dirname, 'data'),
    baseUrl: server.url,
    stateDir,
    auth: { bearerToken: 'example-token' },
  };
  const result = await migrateJsonToOdc(options);
  expect(result.entities.map((e) => [e.entity, e.status, e.rowsWritten])).toEqual([
    ['Customer', 'completed', 3],
    ['Order', 'completed', 4],
  ]);
  const customers = server.rows('Customer');
  const orders = server.rows('Order');
  expect([...customers.keys()].sort()).toEqual(['1', '2', '3']);
  expect([...orders.keys()].sort()).toEqual([
    '9007199254740993',
    '9007199254740994',
    '9007199254740995',
    '9007199254740996',
  ]);
  expect(orders.get('9007199254740993')!.attributes['CustomerId']).toBe(customers.get('1')!.id);
  expect(orders.get('9007199254740996')!.attributes['CustomerId']).toBe(customers.get('3')!.id);
  expect(customers.get('1')!.attributes['Balance']).toBe('12345678901234567.12345678');
  expect([...customers.values(), ...orders.values()].every((r) => r.writes === 1)).toBe(true);
  const again = await migrateJsonToOdc(options);
  expect(again.status).toBe('already-completed');
});
