// The core Sink conformance suite against the ODC REST sink and the fake ODC app, with faults on:
// 10% 500s and 5% connections dropped after commit, so every case also exercises the retries.

import type { Row } from '@ferry/core';
import { describeSinkConformance, type ConformanceNames } from '@ferry/core/testing';
import { odcRestSink } from '@ferry/adapters/http';
import { MemoryIdMapStore, startFakeOdcServer } from '@ferry/adapters/http/testing';

const odcConformance = async (names?: ConformanceNames) => {
  const id = names?.columns.id ?? 'id';
  const server = await startFakeOdcServer({
    seed: 11,
    faults: { errorRate: 0.1, dropAfterCommitRate: 0.05 },
  });
  const idMap = new MemoryIdMapStore();
  return {
    sink: () =>
      odcRestSink({
        baseUrl: server.url,
        entity: 'Conformance',
        key: id,
        idMap,
        maxRows: 4,
        retry: { minDelayMs: 2, maxDelayMs: 10 },
      }),
    readAll: () =>
      Promise.resolve(
        [...server.rows('Conformance')].map(([key, record]): Row => ({
          [id]: key,
          ...(record.attributes as Row),
        })),
      ),
    teardown: () => server.close(),
  };
};

// The names become the ODC entity's attribute names; the entity (table) name is fixed by the app.
describeSinkConformance(
  'ODC REST sink',
  { setup: () => odcConformance(), setupWithNames: odcConformance },
  { idempotent: true },
);
