// @ferry/adapters/odc-identity: O11 end users, roles and groups into ODC through ODC's public User and
// Access Management API (OAuth client credentials from the portal's OIDC discovery document), planned
// first, applied resumably, and the O11 user id → ODC user key map that the data run uses.

export { ClientCredentialsToken } from './identity-token.js';
export type { ClientCredentials } from './identity-token.js';
export { IdentityHttp, ODC_IDENTITY_LIMITS } from './identity-http.js';
export type { IdentityHttpOptions, IdentityRequest, IdentityWindowHandOver } from './identity-http.js';
export { OdcIdentityClient } from './identity-client.js';
export type {
  BulkOperation,
  BulkUserRecord,
  KeyedName,
  OdcIdentityClientOptions,
  OdcIdentityUser,
} from './identity-client.js';
export { planUsers } from './users-plan.js';
export type { O11EndUser, SkipReason, UserPolicies, UsersPlan, UserToCreate } from './users-plan.js';
export { FileIdentityStateStore, emptyIdentityState } from './users-state.js';
export type { BulkRecord, IdentityState, IdentityStateStore } from './users-state.js';
export { syncOdcUsers } from './users-sync.js';
export type { O11Directory, SyncOdcUsersOptions, SyncOdcUsersResult } from './users-sync.js';
export { assignRolesAndGroups, planRolesAndGroups } from './roles-groups-sync.js';
export type { AccessPlan, AccessResult, NamedMembers } from './roles-groups-sync.js';
export { readO11Directory, userProviderTenant } from './o11-directory-read.js';
