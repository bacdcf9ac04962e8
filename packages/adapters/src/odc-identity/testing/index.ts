// @ferry/adapters/odc-identity/testing: the fake ODC identity server (OIDC discovery, token, users,
// bulk, roles and groups) that the adapter's tests and the CLI acceptance run use.

export { startFakeIdentityServer } from './fake-identity-server.js';
export type {
  FakeIdentityServer,
  FakeIdentityServerOptions,
  IdentityExchange,
  IdentityFault,
} from './fake-identity-server.js';
export { FakeIdentityStore } from './fake-identity-store.js';
export type { FakeUser } from './fake-identity-store.js';
