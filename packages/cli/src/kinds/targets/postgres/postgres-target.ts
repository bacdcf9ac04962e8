// `target.kind: "postgres"`: a PostgreSQL database shaped like ODC's. Planned and verified by
// @ferry/adapters/migration (o11MigrationPlan, verifyMigration, diffMigration: COPY/upsert/INSERT sinks, a second
// pass for cycles, key-range partitions, createTables); its database also holds the run lock (an
// advisory lock) and, by default, the checkpoints, committed with the rows. The migration adapters
// are loaded when planning or verifying, so `--help`, `init` or `status` do not hold them.

import { introspectTable } from '../../../check/target-introspect.js';
import { checkTarget } from '../../../check/model-check.js';
import type { CliSession } from '../../../session/cli-session.js';
import { connectionBudget } from '../../../session/connection-budget.js';
import type { TargetKind } from '../../kind-types.js';
import { postgresTargetSchema, type PostgresTargetConfig } from './postgres-config.js';
import { diffSource, migrationOptions, verifyOptions } from './postgres-migration.js';
import { connectTarget } from './target-connect.js';
import { truncateOrder, truncateTables } from './target-truncate.js';

function pool(session: CliSession, config: PostgresTargetConfig) {
  return session.shared(
    'postgres.pool',
    () => connectTarget(config, session.env, connectionBudget(session.loaded.config).target),
    (opened) => opened.end(),
  );
}

const schemaOf = (table: { readonly schema?: string }): string => table.schema ?? 'public';

/** The PostgreSQL target kind. */
export const postgresTarget: TargetKind<PostgresTargetConfig> = {
  kind: 'postgres',
  describe:
    'a PostgreSQL database shaped like ODC (COPY, upsert or INSERT; checkpoints in the same transaction)',
  schema: postgresTargetSchema,
  commands: ['verify', 'diff', 'sync', 'reset --truncate'],
  partitions: true,
  pool,
  async plan(input) {
    const { o11MigrationPlan } = await import('@ferry/adapters/migration');
    const built = await o11MigrationPlan(migrationOptions(input, await pool(input.session, input.config)));
    return { plan: built.plan, stats: built.stats, close: () => Promise.resolve() };
  },
  label: (_config, entity) => `${schemaOf(entity.table)}.${entity.table.table}`,
  report: (config) => ({ kind: 'postgres', mode: config.mode ?? 'copy' }),
  schemaOverride: (config) => config.schema,
  async tableCheck(session, config, compiled) {
    const opened = await pool(session, config);
    return async (entity) => {
      const actual = await introspectTable(opened, schemaOf(entity.table), entity.table.table);
      // With createTables, `run` creates a missing table from the mapping, so it is no inconsistency.
      if (actual === undefined && config.createTables === true) return [];
      return checkTarget(entity, actual, compiled, schemaOf);
    };
  },
  async verify(session, config, entities, signal) {
    const { verifyMigration } = await import('@ferry/adapters/migration');
    const options = await verifyOptions(session, config, entities, () => pool(session, config));
    return verifyMigration({ ...options, signal });
  },
  async diff(session, config, entities, signal) {
    const { diffMigration } = await import('@ferry/adapters/migration');
    const options = await verifyOptions(session, config, entities, () => pool(session, config));
    return diffMigration({ ...options, source: await diffSource(session, options.source), signal });
  },
  async sync(session, config, input) {
    const { syncMigration } = await import('@ferry/adapters/migration');
    const options = await verifyOptions(session, config, input.entities, () => pool(session, config));
    const { diff, syncId, deletes, run, checkDiff } = input;
    return syncMigration({ ...options, runId: syncId, deletes, run, checkDiff: checkDiff === true }, diff);
  },
  async truncate(session, config, entities) {
    const tables = truncateOrder(entities);
    return { emptied: tables, rows: await truncateTables(await pool(session, config), tables) };
  },
  starter: {
    config: { kind: 'postgres', connection: { env: 'ODC_URL' }, mode: 'copy', createTables: true },
    notes: [
      'A PostgreSQL database shaped like ODC. mode: "copy" is the fastest and exactly-once with',
      'the state below; createTables creates missing tables from the mapping (remove it when the',
      "ODC app's tables exist, so `ferry check` compares with them).",
    ],
    env: ['ODC_URL', 'a postgres:// URL of the target database'],
  },
};
