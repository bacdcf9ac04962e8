import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '@ferry/core';
import { odcRestSink } from '@ferry/adapters/http';
import type { OdcRestSinkOptions } from '@ferry/adapters/http';
import { MemoryIdMapStore, startFakeOdcServer } from '@ferry/adapters/http/testing';
import type { FakeOdcServer, FakeOdcServerOptions } from '@ferry/adapters/http/testing';
import { batchOf, context, customers } from './odc-fake/sink-harness.js';

const TOKEN = 'tok-3b1f9c0e-secret';
let server: FakeOdcServer;

async function setup(serverOptions: FakeOdcServerOptions = {}, sink: Partial<OdcRestSinkOptions> = {}) {
  server = await startFakeOdcServer({ token: TOKEN, ...serverOptions });
  const idMap = new MemoryIdMapStore();
  const retries: number[] = [];
  const options: OdcRestSinkOptions = {
    baseUrl: server.url,
    auth: { bearerToken: TOKEN },
    entity: 'Customer',
    idMap,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    onRetry: (info) => retries.push(info.delayMs),
    ...sink,
  };
  return { sink: odcRestSink(options), idMap, retries };
}

afterEach(async () => {
  await server?.close();
});

describe('odcRestSink', () => {
  it('upserts every row once, exactly encoded, and records the server ids in the id map', async () => {
    const { sink, idMap } = await setup();
    const rows = customers(25);
    await sink.write(batchOf(rows), context('Customer'));
    const stored = server.rows('Customer');
    expect(stored.size).toBe(25);
    for (const row of rows) {
      const record = stored.get(String(row.Id))!;
      expect(record.writes).toBe(1);
      expect(record.attributes).toEqual({
        Name: row.Name,
        Balance: row.Balance,
        Big: (row.Big as bigint).toString(),
        Photo: Buffer.from(row.Photo as Uint8Array).toString('base64'),
        Since: '1900-01-01',
        Updated: (row.Updated as Date).toISOString(),
        Active: row.Active,
      });
      // ids are past 2^53 on the wire as JSON numbers: they must arrive digit for digit
      expect(idMap.entries('Customer').get(String(row.Id))).toBe(record.id);
    }
    expect(BigInt(idMap.entries('Customer').get('1')!)).toBeGreaterThan(2n ** 53n);
  });

  it('cuts requests by rows and by bytes', async () => {
    const { sink } = await setup({}, { maxRows: 4 });
    await sink.write(batchOf(customers(10)), context('Customer'));
    expect(server.log.entries.map((e) => e.records)).toEqual([4, 4, 2]);

    const bySize = await setup({}, { maxBytes: 700 });
    await bySize.sink.write(batchOf(customers(10)), context('Customer'));
    const sizes = server.log.entries.map((e) => e.records);
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(server.rows('Customer').size).toBe(10);
  });

  it('refuses a single record larger than maxBytes, naming its key', async () => {
    const { sink } = await setup({}, { maxBytes: 100 });
    const error = await sink.write(batchOf(customers(1, 7)), context('Customer')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe('FERRY_HTTP_RECORD_TOO_LARGE');
    expect((error as FerryError).key).toEqual(['7']);
    expect(server.log.entries).toHaveLength(0);
  });

  it('retries 500s and dropped connections; a dropped-after-commit batch is stored once', async () => {
    const { sink, idMap, retries } = await setup();
    server.failNext('error', 2);
    server.failNext('drop', 1);
    await sink.write(batchOf(customers(5)), context('Customer'));
    expect(retries).toHaveLength(3);
    expect(server.log.outcomes()).toEqual({ 500: 2, dropped: 1, 200: 1 });
    const stored = server.rows('Customer');
    expect(stored.size).toBe(5);
    expect([...stored.values()].every((r) => r.writes === 2)).toBe(true);
    expect(idMap.entries('Customer').get('3')).toBe(stored.get('3')!.id);
  });

  it('times out a hanging request and retries it', async () => {
    const { sink, retries } = await setup({}, { timeoutMs: 300 });
    server.failNext('hang', 1);
    const started = Date.now();
    await sink.write(batchOf(customers(3)), context('Customer'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(retries).toHaveLength(1);
    expect(server.log.outcomes()).toEqual({ hung: 1, 200: 1 });
    expect([...server.rows('Customer').values()].map((r) => r.writes)).toEqual([2, 2, 2]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { sink, retries } = await setup({ faults: { retryAfter: '1' } });
    server.failNext('rate-limit', 1);
    let started = Date.now();
    await sink.write(batchOf(customers(2)), context('Customer'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(retries).toEqual([1000]);

    server.faults = { retryAfter: () => new Date(Date.now() + 2000).toUTCString() };
    server.failNext('rate-limit', 1);
    started = Date.now();
    await sink.write(batchOf(customers(2, 10)), context('Customer'));
    // an HTTP date has second precision: the wait is between 1 and 2 seconds
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(retries[1]).toBeGreaterThan(900);
  });

  it('does not retry a 400 and reports the server message without values or token', async () => {
    const { sink, retries } = await setup();
    server.failNext('bad-request', 1);
    const rows = customers(3);
    const error = (await sink
      .write(batchOf(rows), context('Sales.Customer'))
      .catch((e: unknown) => e)) as FerryError;
    expect(error).toBeInstanceOf(FerryError);
    expect(error.code).toBe('FERRY_HTTP_400');
    expect(error.reason).toBe('invalid-data');
    expect(error.retryable).toBe(false);
    expect(error.entity).toBe('Sales.Customer');
    expect(retries).toHaveLength(0);
    expect(server.log.entries).toHaveLength(1);
    expect(error.message).toContain('Cannot store Customer');
    const text = `${error.message} ${JSON.stringify(error)}`;
    expect(text).not.toContain(TOKEN);
    for (const row of rows) {
      expect(text).not.toContain(row.Name as string);
      expect(text).not.toContain(row.Balance as string);
    }
  });

  it('fails a wrong token at once as an authentication error', async () => {
    const { sink } = await setup({}, { auth: { bearerToken: 'wrong-token-value' } });
    const error = (await sink
      .write(batchOf(customers(1)), context('Customer'))
      .catch((e: unknown) => e)) as FerryError;
    expect(error.reason).toBe('authentication');
    expect(error.message).not.toContain('wrong-token-value');
    expect(server.log.entries).toHaveLength(1);
  });

  it('gives up after the retry budget with a retryable error', async () => {
    const { sink } = await setup({}, { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    server.failNext('error', 5);
    const error = (await sink
      .write(batchOf(customers(1)), context('Customer'))
      .catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('FERRY_HTTP_500');
    expect(error.retryable).toBe(true);
    expect(server.log.entries).toHaveLength(3);
  });

  it('stops when the run is aborted', async () => {
    const { sink } = await setup({}, { timeoutMs: 5_000 });
    server.failNext('hang', 1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = (await sink
      .write(batchOf(customers(1)), context('Customer', 1, controller.signal))
      .catch((e: unknown) => e)) as FerryError;
    expect(error, String(error)).toBeInstanceOf(FerryError);
    expect(error.reason).toBe('aborted');
    expect(error.retryable).toBe(false);
  });

  it('refuses plain http to a remote host', async () => {
    server = await startFakeOdcServer();
    expect(() =>
      odcRestSink({ baseUrl: 'http://odc.example.com/x', entity: 'A', idMap: new MemoryIdMapStore() }),
    ).toThrow(/https/);
  });
});
