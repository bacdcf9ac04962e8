// From a CLI session to the options of @ferry/adapters/migration: the same description of the
// migration for `run` and `verify` of a postgres target, so they read, map and compare identically.

import type { MigrationSource, O11MigrationOptions } from '@ferry/adapters/migration';
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

/**
 * The source a diff queries: the migration's knex, or, when rows are read through a factory (SQL
 * Server's mssqlSource), the source kind's own knex on the same database (a diff runs SQL there).
 */
export async function diffSource(session: CliSession, source: MigrationSource): Promise<MigrationSource> {
  if (!('factory' in source) || session.sourceKind.database === undefined) return source;
  const client = (session.loaded.config.source as { readonly client?: string }).client;
  // O11 tables live in dbo on SQL Server, where mssqlSource reads them too.
  return client === 'mssql'
    ? { knex: await session.source(), schema: 'dbo' }
    : { knex: await session.source() };
}
