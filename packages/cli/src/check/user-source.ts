// The users side of `check`, `plan` and `run`: user references need ODC users to match them against
// (the map `ferry users --apply` writes, or `users.odcUsersFile`). Without either, every reference
// would become `users.unmatched`'s value (the empty GUID by default), so that must be chosen explicitly.

import type { CompiledEntity, MappingSpec } from '@ferry/mapping';
import type { CliSession } from '../session/cli-session.js';
import { readUserMapFile, userMapPath } from '../session/user-map-file.js';
import type { CheckFinding } from './model-check.js';

/** The user reference attributes of an entity whose unmatched policy is not set explicitly. */
function implicitUserReferences(entity: CompiledEntity, spec: MappingSpec): string[] {
  if (spec.users?.unmatched !== undefined) return [];
  return entity.attributes
    .filter((a) => a.reference?.kind === 'user')
    .filter((a) => a.spec.reference?.kind !== 'user' || a.spec.reference.unmatched === undefined)
    .map((a) => a.name);
}

/** Whether the session has ODC users to match O11 users against, and if not, why. */
async function missingUserSource(session: CliSession): Promise<string | undefined> {
  const users = session.loaded.config.users;
  if (users?.odcUsersFile !== undefined) return undefined;
  if ((await readUserMapFile(userMapPath(session))) !== undefined) return undefined;
  return users?.odc === undefined
    ? 'no users source: every user reference would become the empty GUID'
    : 'users.odc is set but `ferry users --apply` has not written the user map yet';
}

/**
 * One `users` finding per entity with user references when no users source is configured and
 * `users.unmatched` is not set explicitly (config, mapping, or the attribute's own `unmatched`).
 * `run` refuses on it; the finding says what to do: `ferry users --apply`, `users.odcUsersFile`, or
 * an explicit `users.unmatched`.
 */
export async function userSourceFindings(
  session: CliSession,
  entities: readonly CompiledEntity[],
  spec: MappingSpec,
): Promise<CheckFinding[]> {
  const affected = entities
    .map((entity) => ({ entity: entity.name, attributes: implicitUserReferences(entity, spec) }))
    .filter((e) => e.attributes.length > 0);
  if (affected.length === 0) return [];
  const missing = await missingUserSource(session);
  if (missing === undefined) return [];
  return affected.map((e) => ({
    kind: 'users',
    entity: e.entity,
    attribute: e.attributes.join(', '),
    expected:
      'ODC users to match: run `ferry users --apply` (config users.odc) or set users.odcUsersFile; or set users.unmatched',
    actual: missing,
  }));
}
