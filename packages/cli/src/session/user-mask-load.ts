// The end-user masker of a masked mapping (`users.mask: true`): `ferry users` creates ODC users from
// masked O11 users, and `run` matches O11 e-mails in the same masked form, with the key of the
// mapping's `masking.keyEnv` (default FERRY_MASK_KEY) read from the session's environment.

import { MaskKey, userMasker, type MappingSpec, type UserMasker } from '@ferry/mapping';

/** The masker when the mapping masks users, else undefined; throws naming the variable without a key. */
export function userMaskOf(spec: MappingSpec, env: NodeJS.ProcessEnv): UserMasker | undefined {
  if (spec.users?.mask !== true) return undefined;
  return userMasker(MaskKey.fromEnv(spec.masking?.keyEnv, env));
}
