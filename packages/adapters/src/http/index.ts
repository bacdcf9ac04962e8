// @ferry/adapters/http: the ODC REST sink (bulk upsert by O11 key into an ODC app, with id remap),
// the end-users helper, and the building blocks they share (auth, limiter, retry).

export { odcRestSink } from './odc-rest-sink.js';
export type { OdcRestSink, OdcRestSinkStats } from './odc-rest-sink.js';
export { odcRestDeleteSink } from './odc-rest-delete-sink.js';
export type {
  OdcRestDeleteSink,
  OdcRestDeleteSinkOptions,
  OdcRestDeleteStats,
} from './odc-rest-delete-sink.js';
export type { OdcAppOptions, OdcRestSinkOptions } from './odc-rest-options.js';
export {
  ODC_MAX_REQUEST_BYTES,
  ODC_TIMEOUT_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ROWS,
} from './odc-rest-options.js';
export { createOdcUsers } from './odc-users.js';
export type { CreateOdcUsersOptions, CreateOdcUsersResult, OdcUserInput } from './odc-users.js';
export { remapReferences } from './remap-references.js';
export type { RemapReferencesOptions } from './remap-references.js';
export { odcAuthFromEnv } from './http-auth.js';
export type { OdcAuth, OdcAuthEnvNames } from './http-auth.js';
export { RequestLimiter } from './request-limiter.js';
export type { RequestLimiterOptions } from './request-limiter.js';
export { DEFAULT_HTTP_RETRY, parseRetryAfter, backoffDelay } from './http-retry.js';
export type { HttpRetryPolicy } from './http-retry.js';
export { classifyStatus } from './http-error.js';
export type { FetchLike, RetryInfo } from './http-call.js';
export { encodeValue } from './record-encode.js';
export { JsonlIdMapStore } from './jsonl-id-map-store.js';
export { idMapParentKeys } from './id-map-parent-keys.js';
