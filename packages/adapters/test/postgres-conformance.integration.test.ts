// Core's conformance suites against the PostgreSQL adapters: the sink in every mode and the pass-2
// update sink (each with the checkpoint store on the same database, so their transactions are
// exercised, also under run()), the upsert sink without a store (a plain sink: the run keeps its
// checkpoints in a file, as the CLI does with `state.kind: file`), and the checkpoint store.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import pg from 'pg';
import {
  CONFORMANCE_FIRST_ID,
  describeCheckpointStoreConformance,
  describeSinkConformance,
} from '@ferry/core/testing';
import type { ConformanceNames } from '@ferry/core/testing';
import { FileCheckpointStore } from '@ferry/core';
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

const PLAIN_NAMES: ConformanceNames = {
  table: 'conformance',
  columns: { id: 'id', name: 'name', amount: 'amount', day: 'day', flag: 'flag' },
};

const conformanceTable = (schema: string, { table, columns: c }: ConformanceNames): TargetTable => ({
  schema,
  table,
  key: [c.id],
  columns: [
    { name: c.id, type: 'bigint', nullable: false },
    { name: c.name, type: 'varchar', length: 200, nullable: true },
    { name: c.amount, type: 'numeric', precision: 37, scale: 8, nullable: true },
    { name: c.day, type: 'date', nullable: true },
    { name: c.flag, type: 'boolean', nullable: true },
  ],
});

/** Read back with SQL quoted here by hand (not by Ferry's quoteIdentifier, which is under test). */
function selectAll(schema: string, { table, columns: c }: ConformanceNames): string {
  const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  return (
    `SELECT ${q(c.id)}::text AS ${q(c.id)}, ${q(c.name)}, ${q(c.amount)}::text AS ${q(c.amount)}, ` +
    `to_char(${q(c.day)}, 'YYYY-MM-DD') AS ${q(c.day)}, ${q(c.flag)} FROM ${q(schema)}.${q(table)}`
  );
}

async function freshSchema(): Promise<string> {
  const schema = `ferry_conf_${randomBytes(5).toString('hex')}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  return schema;
}

for (const mode of ['copy', 'upsert', 'insert'] as const satisfies readonly PostgresSinkMode[]) {
  const setupWithNames = async (names: ConformanceNames) => {
    const schema = await freshSchema();
    const table = conformanceTable(schema, names);
    await createTable(pool, table);
    const checkpoints = new PostgresCheckpointStore({ pool, schema });
    return {
      sink: () => postgresSink({ pool, table, mode, checkpoints }),
      checkpoints,
      async readAll() {
        return (await pool.query(selectAll(schema, names))).rows as Row[];
      },
      async teardown() {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  };
  describeSinkConformance(
    `postgres ${mode} sink`,
    { setup: () => setupWithNames(PLAIN_NAMES), setupWithNames },
    {
      idempotent: mode === 'upsert',
      skip: {
        'nul character': 'PostgreSQL text cannot hold U+0000 (refused: postgres-copy-encoder.test.ts)',
      },
    },
  );
}

// Without a store the sink has no transactions of its own: idempotent upserts, the run's file store.
const storelessSetup = async (names: ConformanceNames) => {
  const schema = await freshSchema();
  const table = conformanceTable(schema, names);
  await createTable(pool, table);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-conf-'));
  return {
    sink: () => postgresSink({ pool, table, mode: 'upsert' }),
    checkpoints: new FileCheckpointStore(dir),
    async readAll() {
      return (await pool.query(selectAll(schema, names))).rows as Row[];
    },
    async teardown() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await rm(dir, { recursive: true, force: true });
    },
  };
};
describeSinkConformance(
  'postgres upsert sink without a store (file checkpoints)',
  { setup: () => storelessSetup(PLAIN_NAMES), setupWithNames: storelessSetup },
  {
    idempotent: true,
    skip: { 'nul character': 'PostgreSQL text cannot hold U+0000 (refused: postgres-copy-encoder.test.ts)' },
  },
);

// The update sink sets every non-key column of rows that exist already; `touched` marks the rows it
// updated, so reading the target back sees only what the sink wrote.
const updateSetup = async (names: ConformanceNames) => {
  const schema = await freshSchema();
  const base = conformanceTable(schema, names);
  const table: TargetTable = {
    ...base,
    columns: [...base.columns, { name: 'touched', type: 'boolean', nullable: true }],
  };
  await createTable(pool, table);
  const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  // Every id a conformance case may write: plain rows from 0, edge rows from 1000, hostile from 2000.
  await pool.query(
    `INSERT INTO ${q(schema)}.${q(names.table)} (${q(names.columns.id)})
     SELECT ${CONFORMANCE_FIRST_ID} + g FROM generate_series(0, 3100) g`,
  );
  const checkpoints = new PostgresCheckpointStore({ pool, schema });
  const c = names.columns;
  return {
    sink: () =>
      postgresUpdateSink({ pool, table, columns: [c.name, c.amount, c.day, c.flag, 'touched'], checkpoints }),
    toSinkRow: (row: Row) => ({ ...row, touched: true }),
    checkpoints,
    async readAll() {
      return (await pool.query(`${selectAll(schema, names)} WHERE touched`)).rows as Row[];
    },
    async teardown() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
};
describeSinkConformance(
  'postgres update sink (pass 2)',
  { setup: () => updateSetup(PLAIN_NAMES), setupWithNames: updateSetup },
  {
    idempotent: true,
    skip: { 'nul character': 'PostgreSQL text cannot hold U+0000 (refused: postgres-copy-encoder.test.ts)' },
  },
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
