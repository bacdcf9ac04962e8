// How the benchmark builds Ferry's pipeline, the way a user would: discover the O11 catalog from the
// OSSYS tables, generate the default mapping, point it at the benchmark's target table, compile it and
// let planFromMapping put the mapping stage between the knex source and the sink.

import type { Plan, Sink } from '@ferry/core';
import { discoverO11Catalog, o11KnexSource } from '@ferry/adapters/o11';
import {
  UserMap,
  compileMapping,
  generateMapping,
  planFromMapping,
  type CompiledEntity,
  type TargetTable,
} from '@ferry/mapping';
import type { Knex } from 'knex';
import { SOURCE_TABLE } from '../bench-shape.js';

/** The entity's name in the catalog and mapping. */
export const FERRY_ENTITY = 'Bench.OrderRow';

/** A ready plan, its target table, and facts for the report. */
export interface FerryPipeline {
  readonly plan: Plan;
  readonly table: TargetTable;
  readonly details: Record<string, unknown>;
}

/** The ODC user id the benchmark gives O11 user `id`: deterministic, so the checksum can map it back. */
export function odcUserId(id: string | number): string {
  return `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
}

/** Discover, generate, retarget, compile, plan. `sink` builds the sink for the derived target table. */
export async function ferryPipeline(
  db: Knex,
  target: { readonly schema: string; readonly table: string },
  batchSize: number,
  sink: (table: TargetTable) => Sink,
): Promise<FerryPipeline> {
  const catalog = await discoverO11Catalog(db, { modules: ['Bench'] });
  const entity = catalog.entities.find((e) => e.physicalTable === SOURCE_TABLE);
  if (entity === undefined) throw new Error(`discovery found no entity for ${SOURCE_TABLE}`);
  const generated = generateMapping(catalog, { modules: ['Bench'] });
  const spec = {
    ...generated,
    entities: generated.entities.map((e) => ({
      ...e,
      target: { schema: target.schema, table: target.table },
    })),
  };
  const compiled = compileMapping(spec);
  const users = await userMap(db);
  const plan = planFromMapping(compiled, {
    source: () => o11KnexSource(db, entity),
    sink: (e: CompiledEntity) => sink(e.table),
    runtime: { users },
    batchSize,
  });
  const table = compiled.entity(FERRY_ENTITY).table;
  return {
    plan,
    table,
    details: {
      pipeline: 'discovery → generateMapping → mappingStage',
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
