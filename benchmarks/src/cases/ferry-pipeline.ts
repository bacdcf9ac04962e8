// How the benchmark builds Ferry's pipeline, the way a user would: discover the O11 catalog from the
// OSSYS tables, generate the default mapping, point it at the benchmark's target table, and let the
// library's own glue (o11MigrationPlan) wire knex source → mapping stage → PostgreSQL sink, with the
// same in-flight window and commit size a user gets.

import type { CheckpointStore, Plan } from '@ferry/core';
import { o11MigrationPlan } from '@ferry/adapters/migration';
import type { O11MigrationOptions } from '@ferry/adapters/migration';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import type { PgPool } from '@ferry/adapters/postgres';
import { UserMap, generateMapping, type TargetTable } from '@ferry/mapping';
import type { Knex } from 'knex';
import { SOURCE_TABLE } from '../bench-shape.js';
import type { ChildArgs } from './child-env.js';

/** The entity's name in the catalog and mapping. */
export const FERRY_ENTITY = 'Bench.OrderRow';

/** A ready plan, its target table, and facts for the report. */
export interface FerryPipeline {
  readonly plan: Plan;
  readonly table: TargetTable;
  readonly details: Record<string, unknown>;
}

/** Where and how Ferry writes. */
export interface FerryTarget {
  readonly pool: PgPool;
  readonly schema: string;
  readonly table: string;
  readonly mode: 'copy' | 'upsert';
  readonly commitEvery: number;
  readonly checkpoints: CheckpointStore;
  /** Key-range partitions (with the run id they are persisted under). */
  readonly partitions?: { readonly count: number; readonly runId: string };
}

/**
 * A child's target from its arguments: the table in `args.schema`, `args.mode` (default copy), and
 * with `partitions` above 1 the entity in that many key ranges persisted under `runId`.
 */
export function childTarget(
  args: ChildArgs,
  pool: PgPool,
  checkpoints: CheckpointStore,
  partitions: number,
  runId: string,
): FerryTarget {
  return {
    pool,
    schema: args.schema,
    table: args.table,
    mode: args.mode ?? 'copy',
    commitEvery: args.commitEvery,
    checkpoints,
    ...(partitions > 1 ? { partitions: { count: partitions, runId } } : {}),
  };
}

/** The ODC user id the benchmark gives O11 user `id`: deterministic, so the checksum can map it back. */
export function odcUserId(id: string | number): string {
  return `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
}

/** Discover, generate and retarget: the migration as `o11MigrationPlan`, `syncMigration` and `verifyMigration` take it. */
export async function ferryMigration(
  db: Knex,
  target: FerryTarget,
  batchSize: number,
): Promise<O11MigrationOptions> {
  const catalog = await discoverO11Catalog(db, { modules: ['Bench'] });
  if (!catalog.entities.some((e) => e.physicalTable === SOURCE_TABLE))
    throw new Error(`discovery found no entity for ${SOURCE_TABLE}`);
  const generated = generateMapping(catalog, { modules: ['Bench'] });
  const mapping = {
    ...generated,
    entities: generated.entities.map((e) => ({
      ...e,
      target: { schema: target.schema, table: target.table },
    })),
  };
  return {
    source: { knex: db },
    catalog,
    mapping,
    target: { pool: target.pool, mode: target.mode, commitEvery: target.commitEvery, createTables: true },
    checkpoints: target.checkpoints,
    userMap: await userMap(db),
    batchSize,
    ...(target.partitions === undefined
      ? {}
      : { partitions: target.partitions.count, runId: target.partitions.runId }),
  };
}

/** Discover, generate, retarget, plan (creating the target table). */
export async function ferryPipeline(
  db: Knex,
  target: FerryTarget,
  batchSize: number,
): Promise<FerryPipeline> {
  const { plan, tables } = await o11MigrationPlan(await ferryMigration(db, target, batchSize));
  const table = tables.get(FERRY_ENTITY);
  if (table === undefined) throw new Error(`the mapping has no ${FERRY_ENTITY}`);
  return {
    plan,
    table,
    details: {
      pipeline: 'discovery → generateMapping → o11MigrationPlan (mapping stage, PostgreSQL sink)',
      maxInFlight: plan.entities[0]?.maxInFlight,
      pipelines: plan.entities.length,
      columns: table.columns.map((c) => c.name),
    },
  };
}

/** O11 users (id, username, email; never the password) matched by email to ODC users with known ids. */
async function userMap(db: Knex): Promise<UserMap> {
  const rows = await db<{ ID: number; USERNAME: string; EMAIL: string }>('OSSYS_USER').select(
    'ID',
    'USERNAME',
    'EMAIL',
  );
  const o11 = rows.map((r) => ({ id: r.ID, username: r.USERNAME, email: r.EMAIL }));
  return UserMap.build(
    o11,
    o11.map((u) => ({ id: odcUserId(u.id), email: u.email })),
  );
}
