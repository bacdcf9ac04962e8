// From a CLI session to the options of @ferry/adapters/migration: the same description of the
// migration for `run` and `verify` of a postgres target, so they read, map and compare identically.

import type { O11MigrationOptions } from '@ferry/adapters/migration';
import type pg from 'pg';
import type { CliSession } from '../../../session/cli-session.js';
import { loadUserMapOnce } from '../../../session/user-map-load.js';
import type { TargetPlanInput } from '../../kind-types.js';
import type { PostgresTargetConfig } from './postgres-config.js';

/** The migration options of a plan's input and the target's pool. */
export function migrationOptions(
  input: Omit<TargetPlanInput<PostgresTargetConfig>, 'runId'> & { readonly runId?: string },
  pool: pg.Pool,
): O11MigrationOptions {
  const { config: target, session, runId } = input;
  const { batchSize, partitions } = session.loaded.config;
  return {
    ...input.parts,
    mapping: input.compiled,
    target: { pool, mode: target.mode ?? 'copy', createTables: target.createTables === true },
    checkpoints: input.checkpoints,
    userMap: input.userMap,
    entities: input.entities,
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(partitions === undefined || runId === undefined ? {} : { partitions, runId }),
  };
}

/** The migration options `verify` compares with: the session's source, mapping, pool and user map. */
export async function verifyOptions(
  session: CliSession,
  config: PostgresTargetConfig,
  entities: readonly string[],
  pool: () => Promise<pg.Pool>,
): Promise<O11MigrationOptions> {
  const [parts, compiled, target, checkpoints, userMap] = await Promise.all([
    session.sourceParts(),
    session.compiled(),
    pool(),
    session.checkpoints(),
    loadUserMapOnce(session),
  ]);
  return migrationOptions({ session, config, parts, compiled, entities, checkpoints, userMap }, target);
}
