// One O11 entity split into two ODC entities by a custom stage: Customer → customer (names split, e-mail
// domain derived) and customer_address. Two pipelines read the same source table; the address one
// runs after the profiles. Rows and checkpoints commit together in PostgreSQL (exactly-once).

import { run } from '@ferry/core';
import type { Plan, RunResult } from '@ferry/core';
import { knexSource } from '@ferry/adapters/knex';
import { PostgresCheckpointStore, createTable, postgresSink } from '@ferry/adapters/postgres';
import type { TargetTable } from '@ferry/mapping';
import type { Knex } from 'knex';
import type pg from 'pg';
import { splitCustomer } from './split-customer-stage.js';

/** The two target tables. */
export function targetTables(schema: string): { profile: TargetTable; address: TargetTable } {
  return {
    profile: {
      schema,
      table: 'customer',
      key: ['id'],
      columns: [
        { name: 'id', type: 'bigint', nullable: false },
        { name: 'first_name', type: 'varchar', length: 100, nullable: false },
        { name: 'last_name', type: 'varchar', length: 200, nullable: false },
        { name: 'email', type: 'varchar', length: 250, nullable: false },
        { name: 'email_domain', type: 'varchar', length: 250, nullable: true },
      ],
    },
    address: {
      schema,
      table: 'customer_address',
      key: ['customer_id'],
      columns: [
        { name: 'customer_id', type: 'bigint', nullable: false },
        { name: 'street', type: 'text', nullable: false },
        { name: 'city', type: 'varchar', length: 100, nullable: false },
      ],
    },
  };
}

/** Options of {@link migrateSplitCustomer}. */
export interface SplitOptions {
  /** The O11 database and the Customer table's physical name (e.g. `OSUSR_ABC_CUSTOMER`). */
  readonly source: Knex;
  readonly table: string;
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly runId: string;
}

/** Creates the targets, then runs (or resumes) both pipelines. */
export async function migrateSplitCustomer(options: SplitOptions): Promise<RunResult> {
  const tables = targetTables(options.schema);
  for (const table of Object.values(tables)) await createTable(options.pool, table);
  const checkpoints = new PostgresCheckpointStore({ pool: options.pool, schema: `${options.schema}_state` });
  const read = (name: string) =>
    knexSource({
      knex: options.source,
      table: options.table,
      key: ['ID'],
      name,
      columns: [{ name: 'ID', kind: 'bigint' }, 'FULLNAME', 'EMAIL', 'STREET', 'CITY'],
    });
  const plan: Plan = {
    entities: [
      {
        entity: 'Customer',
        source: read('Customer'),
        stages: [splitCustomer('profile')],
        sink: postgresSink({ pool: options.pool, table: tables.profile, mode: 'copy', checkpoints }),
      },
      {
        entity: 'CustomerAddress',
        dependsOn: ['Customer'],
        source: read('CustomerAddress'),
        stages: [splitCustomer('address')],
        sink: postgresSink({ pool: options.pool, table: tables.address, mode: 'copy', checkpoints }),
      },
    ],
  };
  return run(plan, { runId: options.runId, checkpoints, batchSize: 250 });
}
