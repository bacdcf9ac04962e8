// @ferry/adapters/http/testing: a fake ODC app server for tests and examples of the HTTP sink.

export { startFakeOdcServer } from './fake-odc-server.js';
export type { FakeOdcServer, FakeOdcServerOptions, RequestLogEntry } from './fake-odc-server.js';
export type { FakeOdcFaults, FaultKind } from './fake-odc-faults.js';
export { seededRandom } from '../../shared/seeded-random.js';
export type { StoredRecord } from './fake-odc-store.js';
export { RequestLog } from './fake-odc-log.js';
export { MemoryIdMapStore } from './memory-id-map-store.js';
