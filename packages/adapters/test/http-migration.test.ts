import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, run } from '@ferry/core';
import type { RunEvent } from '@ferry/core';
import { RequestLimiter } from '@ferry/adapters/http';
import { MemoryIdMapStore, startFakeOdcServer } from '@ferry/adapters/http/testing';
import type { FakeOdcServer } from '@ferry/adapters/http/testing';
import { SALES_REFERENCES, salesData, salesPlan, salesProblems } from './odc-fake/sales-migration.js';

let server: FakeOdcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a three-entity migration over the ODC REST sink', () => {
  it('under every fault ends with each source row stored once and every reference on the app’s ids', async () => {
    server = await startFakeOdcServer({
      seed: 20240229,
      references: SALES_REFERENCES,
      token: 'migration-token',
      faults: {
        errorRate: 0.1,
        dropAfterCommitRate: 0.05,
        hangRate: 0.03,
        rateLimitEvery: 40,
        retryAfter: '1',
      },
    });
    const data = salesData(120, 300, 700);
    const idMap = new MemoryIdMapStore();
    const events: RunEvent[] = [];
    const plan = salesPlan(data, {
      baseUrl: server.url,
      idMap,
      limiter: new RequestLimiter({ concurrency: 4 }),
      batchSize: 50,
      sink: {
        auth: { bearerToken: 'migration-token' },
        maxRows: 20,
        timeoutMs: 400,
        retry: { retries: 8, minDelayMs: 5, maxDelayMs: 60 },
      },
    });
    const result = await run(plan, {
      runId: 'sales-1',
      checkpoints: new MemoryCheckpointStore(),
      maxInFlight: 3,
      onEvent: (event) => events.push(event),
    });
    expect(result.entities.map((e) => [e.entity, e.status, e.rowsWritten, e.rowsRejected])).toEqual([
      ['Customer', 'completed', 120, 0],
      ['Order', 'completed', 300, 0],
      ['OrderLine', 'completed', 700, 0],
    ]);
    const ids = new Map(['Customer', 'Order', 'OrderLine'].map((e) => [e, idMap.entries(e)]));
    expect(salesProblems(server, data, ids)).toEqual([]);
    // every fault kind really happened, and the app answered every record at least once
    const outcomes = server.log.outcomes();
    for (const fault of ['500', '429', 'dropped', 'hung']) expect(outcomes[fault], fault).toBeGreaterThan(0);
    const resent = [...server.rows('OrderLine').values()].filter((r) => r.writes > 1).length;
    expect(resent).toBeGreaterThan(0);
  });
});
