// Core's conformance suites against the PostgreSQL adapters: the sink in every mode and the pass-2
// update sink (each with the checkpoint store on the same database, so their transactions are
// exercised, also under run()), and the checkpoint store.

import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import pg from 'pg';
import {
  CONFORMANCE_FIRST_ID,
  describeCheckpointStoreConformance,
  describeSinkConformance,
} from '@ferry/core/testing';
import type { Row } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';
import {
  createTable,
  PostgresCheckpointStore,
  postgresSink,
  postgresUpdateSink,
} from '@ferry/adapters/postgres';
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

// The update sink sets every non-key column of rows that exist already; `touched` marks the rows it
// updated, so reading the target back sees only what the sink wrote.
describeSinkConformance(
  'postgres update sink (pass 2)',
  {
    async setup() {
      const schema = await freshSchema();
      const base = conformanceTable(schema);
      const table: TargetTable = {
        ...base,
        columns: [...base.columns, { name: 'touched', type: 'boolean', nullable: true }],
      };
      await createTable(pool, table);
      // Every id a conformance case may write: the plain rows from 0 and the edge rows from 1000.
      await pool.query(
        `INSERT INTO ${schema}.conformance (id) SELECT ${CONFORMANCE_FIRST_ID} + g FROM generate_series(0, 1100) g`,
      );
      const checkpoints = new PostgresCheckpointStore({ pool, schema });
      const columns = ['name', 'amount', 'day', 'flag', 'touched'];
      return {
        sink: () => postgresUpdateSink({ pool, table, columns, checkpoints }),
        toSinkRow: (row) => ({ ...row, touched: true }),
        checkpoints,
        async readAll() {
          const result = await pool.query(
            `SELECT id::text AS id, name, amount::text AS amount, to_char(day, 'YYYY-MM-DD') AS day, flag
             FROM ${schema}.conformance WHERE touched`,
          );
          return result.rows as Row[];
        },
        async teardown() {
          await pool.query(`DROP SCHEMA ${schema} CASCADE`);
        },
      };
    },
  },
  { idempotent: true },
);

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
