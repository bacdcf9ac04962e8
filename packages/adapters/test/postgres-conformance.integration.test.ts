// Core's conformance suites against the PostgreSQL adapters: the sink in every mode (with the
// checkpoint store on the same database, so writeWithCheckpoint is exercised) and the checkpoint store.

import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import pg from 'pg';
import { describeCheckpointStoreConformance, describeSinkConformance } from '@ferry/core/testing';
import type { Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import { createTable, PostgresCheckpointStore, postgresSink } from '@ferry/adapters/postgres';
import type { PostgresSinkMode } from '@ferry/adapters/postgres';
import { PG_URL } from './postgres-test-db.js';

const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
afterAll(() => pool.end());

const conformanceTable = (schema: string): TargetTable => ({
  schema,
  table: 'conformance',
  key: ['id'],
  columns: [
    { name: 'id', type: 'bigint', nullable: false },
    { name: 'name', type: 'varchar', length: 200, nullable: true },
    { name: 'amount', type: 'numeric', precision: 37, scale: 8, nullable: true },
    { name: 'day', type: 'date', nullable: true },
    { name: 'flag', type: 'boolean', nullable: true },
  ],
});

async function freshSchema(): Promise<string> {
  const schema = `ferry_conf_${randomBytes(5).toString('hex')}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  return schema;
}

for (const mode of ['copy', 'upsert', 'insert'] as const satisfies readonly PostgresSinkMode[]) {
  describeSinkConformance(
    `postgres ${mode} sink`,
    {
      async setup() {
        const schema = await freshSchema();
        const table = conformanceTable(schema);
        await createTable(pool, table);
        const checkpoints = new PostgresCheckpointStore({ pool, schema });
        return {
          sink: () => postgresSink({ pool, table, mode, checkpoints }),
          checkpoints,
          async readAll() {
            const result = await pool.query(
              `SELECT id::text AS id, name, amount::text AS amount, to_char(day, 'YYYY-MM-DD') AS day, flag
               FROM ${schema}.conformance`,
            );
            return result.rows as Row[];
          },
          async teardown() {
            await pool.query(`DROP SCHEMA ${schema} CASCADE`);
          },
        };
      },
    },
    { idempotent: mode === 'upsert' },
  );
}

describeCheckpointStoreConformance('postgres checkpoint store', {
  async setup() {
    const schema = await freshSchema();
    return {
      store: new PostgresCheckpointStore({ pool, schema }),
      reopen: () => new PostgresCheckpointStore({ pool, schema }),
      teardown: async () => {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  },
});
