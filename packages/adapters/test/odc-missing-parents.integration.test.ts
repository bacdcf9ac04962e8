// Issue 13, cases 2 and 3: children of a rejected parent and references to ids that do not exist.
// Account 7 is rejected by the mapping (a date past 3000-12-31); its tags (Protect) and bills (Delete)
// must follow it into the rejects, and so must the lines of those bills (transitively); two bills
// point at accounts that never existed (O11 had no constraint). Notes reference missing accounts
// through Ignore: kept and counted. Before, these children loaded pointing at nothing (tables Ferry
// creates) or failed the entity with a 23503 (ODC-shaped tables). MariaDB and PostgreSQL sources;
// COPY, INSERT and upsert sinks.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryRejectSink, run } from '@ferry/core';
import type { RejectRecord, RunResult } from '@ferry/core';
import { generateMapping } from '@ferry/mapping';
import type { MappingSpec, O11Catalog } from '@ferry/mapping';
import {
  createSampleO11Database,
  discoverO11Catalog,
  employeeManager,
  MISSING_ACCOUNTS,
  MISSING_MANAGER,
  MISSING_NOTE_ACCOUNT,
  ORPHAN_ROWS,
  orphanShape,
  REJECTED_ACCOUNT,
  REJECTED_EMPLOYEE,
} from '@ferry/adapters/o11';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { o11MigrationPlan, verifyMigration } from '@ferry/adapters/migration';
import type { O11MigrationOptions, O11MigrationPlan } from '@ferry/adapters/migration';
import { mariadbDatabase, postgresDatabase } from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';
import { openTarget, type TestTarget } from './fixtures/migration-setup.js';
import { openShapeMigration } from './fixtures/shape-migration.js';

const ENTITIES = ['Sales.Account', 'Sales.AccountTag', 'Sales.Bill', 'Sales.BillLine', 'Sales.Note'];

// The expected rejects, written from the fixture's definition: bills 7, 27, 47 belong to account 7,
// bills 61 and 62 to the missing accounts; tags 7 and 27 to account 7; line n belongs to bill n.
const REJECTED_BILLS = [7, 27, 47, 61, 62];
const PARENT_OF_BILL: Record<number, number> = {
  7: 7,
  27: 7,
  47: 7,
  61: MISSING_ACCOUNTS[0],
  62: MISSING_ACCOUNTS[1],
};
type Recorded = Omit<RejectRecord, 'message'>;
const EXPECTED_REJECTS: Recorded[] = [
  {
    entity: 'Sales.Account',
    key: [String(REJECTED_ACCOUNT)],
    attribute: 'OpenedOn',
    rule: 'date-range',
    message: '',
  },
  ...[7, 27].map((tag) => dangling('Sales.AccountTag', tag, 'AccountId', 'Sales.Account', REJECTED_ACCOUNT)),
  ...REJECTED_BILLS.map((bill) =>
    dangling('Sales.Bill', bill, 'AccountId', 'Sales.Account', PARENT_OF_BILL[bill]!),
  ),
  ...REJECTED_BILLS.map((bill) => dangling('Sales.BillLine', bill, 'BillId', 'Sales.Bill', bill)),
].map(({ message: _m, ...r }): Recorded => r);

function dangling(
  entity: string,
  key: number,
  attribute: string,
  parent: string,
  parentKey: number,
): RejectRecord {
  return {
    entity,
    key: [String(key)],
    attribute,
    rule: 'dangling-reference',
    message: '',
    parent: { entity: parent, key: [String(parentKey)] },
  };
}

const REJECTED: Record<string, number> = {
  'Sales.Account': 1,
  'Sales.AccountTag': 2,
  'Sales.Bill': 5,
  'Sales.BillLine': 5,
  'Sales.Note': 0,
};
const READ: Record<string, number> = {
  'Sales.Account': ORPHAN_ROWS.accounts,
  'Sales.AccountTag': ORPHAN_ROWS.tags,
  'Sales.Bill': ORPHAN_ROWS.bills,
  'Sales.BillLine': ORPHAN_ROWS.lines,
  'Sales.Note': ORPHAN_ROWS.notes,
};
/** Per entity: the target table and the columns compared with the source (key first). */
const COMPARED: Record<string, { table: string; columns: [string, string][] }> = {
  'Sales.Account': {
    table: 'account',
    columns: [
      ['id', 'ID'],
      ['name', 'NAME'],
    ],
  },
  'Sales.AccountTag': {
    table: 'account_tag',
    columns: [
      ['id', 'ID'],
      ['account_id', 'ACCOUNTID'],
    ],
  },
  'Sales.Bill': {
    table: 'bill',
    columns: [
      ['id', 'ID'],
      ['account_id', 'ACCOUNTID'],
    ],
  },
  'Sales.BillLine': {
    table: 'bill_line',
    columns: [
      ['id', 'ID'],
      ['bill_id', 'BILLID'],
    ],
  },
  'Sales.Note': {
    table: 'note',
    columns: [
      ['id', 'ID'],
      ['account_id', 'ACCOUNTID'],
    ],
  },
};

describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('children of missing and rejected parents, O11 on %s', (_name, factory) => {
  describe.each([
    ['ODC-shaped tables', 'copy'],
    ['ODC-shaped tables', 'insert'],
    ['createTables', 'upsert'],
  ] as const)('into %s (%s)', (tables, mode) => {
    let source: TestDatabase;
    let target: TestTarget;
    let options: O11MigrationOptions;
    let planned: O11MigrationPlan;
    let result: RunResult;
    let drop: () => Promise<void>;
    const rejects = new MemoryRejectSink();

    beforeAll(async () => {
      const odc = tables === 'ODC-shaped tables';
      ({ source, target, options, drop } = await openShapeMigration({
        factory,
        shape: orphanShape,
        seed: 5,
        entities: ENTITIES,
        odc,
        mode,
        batchSize: 8,
      }));
      planned = await o11MigrationPlan(options);
      const checkpoints = options.checkpoints!;
      result = await run(planned.plan, { runId: 'orphans', checkpoints, rejects, retry: { retries: 0 } });
    }, 120_000);
    afterAll(async () => drop?.());

    test('every entity completes with read = written + rejected + filtered', () => {
      expect(result.status).toBe('completed');
      for (const entity of result.entities) {
        expect(entity.status, entity.entity).toBe('completed');
        expect(entity.rowsRead, entity.entity).toBe(READ[entity.entity]);
        expect(entity.rowsRejected, entity.entity).toBe(REJECTED[entity.entity]);
        expect(entity.rowsFiltered, entity.entity).toBe(0);
        expect(entity.rowsWritten, entity.entity).toBe(READ[entity.entity]! - REJECTED[entity.entity]!);
      }
    });

    test('each rejected row is recorded with entity, attribute, key and the missing parent key', () => {
      const got = rejects.records.map(({ message: _m, ...r }) => r);
      const order = (r: Recorded): string => `${r.entity} ${r.key[0]!.padStart(4, '0')}`;
      expect([...got].sort((a, b) => order(a).localeCompare(order(b)))).toEqual(
        [...EXPECTED_REJECTS].sort((a, b) => order(a).localeCompare(order(b))),
      );
      for (const record of rejects.records.filter((r) => r.rule === 'dangling-reference'))
        expect(record.message).toMatch(/is not in the target \(missing in the source, or rejected\)/);
    });

    test('the target holds exactly the source rows that were not rejected, as they are', async () => {
      const rejected = new Set(rejects.records.map((r) => `${r.entity} ${r.key[0]}`));
      for (const entity of ENTITIES) {
        const { table, columns } = COMPARED[entity]!;
        const physical = options.catalog.entities.find((e) => e.qualifiedName === entity)!.physicalTable;
        const want = (
          await source
            .knex(physical)
            .select(columns.map(([, c]) => c))
            .orderBy('ID')
        )
          .filter((r: Record<string, unknown>) => !rejected.has(`${entity} ${String(r.ID)}`))
          .map((r: Record<string, unknown>) => columns.map(([, c]) => String(r[c])));
        const got = await target.pool.query(
          `SELECT ${columns.map(([column]) => `${column}::text`).join(', ')} FROM ${target.schema}.${table} AS t ORDER BY t.id`,
          [],
        );
        expect(
          got.rows.map((r: Record<string, unknown>) => Object.values(r).map(String)),
          entity,
        ).toEqual(want);
      }
    });

    test('Ignore references keep their dangling ids and are counted', async () => {
      const notes = await target.pool.query(
        `SELECT id, account_id FROM ${target.schema}.note WHERE id IN (3, 5) ORDER BY id`,
      );
      expect(notes.rows).toEqual([
        { id: 3, account_id: REJECTED_ACCOUNT },
        { id: 5, account_id: MISSING_NOTE_ACCOUNT },
      ]);
      expect(planned.stats.get('Sales.Note', 'dangling-reference-kept', 'AccountId')).toBe(2);
    });

    test('verify agrees', async () => {
      const report = await verifyMigration(options);
      expect(report.ok).toBe(true);
    });
  });
});

/** The generated mapping with one reference's policy set by hand, as a user edits it. */
function withPolicy(
  catalog: O11Catalog,
  entity: string,
  attribute: string,
  onMissing: 'keep' | 'null',
): MappingSpec {
  const spec = generateMapping(catalog);
  return {
    ...spec,
    entities: spec.entities.map((e) => {
      if (`${'module' in e.source ? `${e.source.module}.${e.source.entity}` : ''}` !== entity) return e;
      const current = e.attributes[attribute]!;
      const reference = current.reference!;
      if (reference.kind !== 'entity') throw new Error('not an entity reference');
      return {
        ...e,
        attributes: { ...e.attributes, [attribute]: { ...current, reference: { ...reference, onMissing } } },
      };
    }),
  };
}

describe('per-attribute policies, O11 on PostgreSQL into tables Ferry creates', () => {
  let source: TestDatabase;
  let target: TestTarget;
  let catalog: O11Catalog;

  beforeAll(async () => {
    [source, target] = await Promise.all([postgresDatabase(), openTarget()]);
    await createSampleO11Database(source.knex, { rowsPerEntity: 10, seed: 5, extra: orphanShape });
    catalog = await discoverO11Catalog(source.knex);
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  async function migrate(
    mapping: MappingSpec,
    schema: string,
  ): Promise<{ result: RunResult; planned: O11MigrationPlan; rejects: MemoryRejectSink }> {
    await target.pool.query(`CREATE SCHEMA ${schema}`);
    const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: `${schema}_ferry` });
    const planned = await o11MigrationPlan({
      source: { knex: source.knex },
      catalog,
      mapping,
      target: { pool: target.pool, schema, mode: 'copy', createTables: true },
      checkpoints,
      entities: ENTITIES,
    });
    const rejects = new MemoryRejectSink();
    const result = await run(planned.plan, { runId: schema, checkpoints, rejects, retry: { retries: 0 } });
    return { result, planned, rejects };
  }

  test('a parent whose target table is missing fails the child entity, naming the parent table and the check', async () => {
    const schema = `${target.schema}_m`;
    await target.pool.query(`CREATE SCHEMA ${schema}`);
    const checkpoints = new PostgresCheckpointStore({ pool: target.pool, schema: `${schema}_ferry` });
    const { plan } = await o11MigrationPlan({
      source: { knex: source.knex },
      catalog,
      mapping: generateMapping(catalog),
      target: { pool: target.pool, schema, mode: 'copy', createTables: true },
      checkpoints,
      entities: ['Sales.AccountTag'],
    });
    const result = await run(plan, { runId: schema, checkpoints, retry: { retries: 0 } });
    expect(result.status).toBe('failed');
    const error = result.entities[0]!.error!;
    expect(error.code).toBe('FERRY_PG_ERROR');
    expect(error.message).toContain(`on ${schema}.account during parent-check`);
    const rows = await target.pool.query(`SELECT count(*)::int AS n FROM ${schema}.account_tag`);
    expect(rows.rows[0].n).toBe(0);
    await target.pool.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_ferry CASCADE`);
  }, 60_000);

  test('null on an optional Ignore reference loads NULL and counts it', async () => {
    const schema = `${target.schema}_n`;
    const { result, planned } = await migrate(withPolicy(catalog, 'Sales.Note', 'AccountId', 'null'), schema);
    expect(result.status).toBe('completed');
    const notes = await target.pool.query(
      `SELECT id, account_id FROM ${schema}.note WHERE id IN (3, 4, 5) ORDER BY id`,
    );
    expect(notes.rows).toEqual([
      { id: 3, account_id: null },
      { id: 4, account_id: 14 },
      { id: 5, account_id: null },
    ]);
    expect(planned.stats.get('Sales.Note', 'dangling-reference-nulled', 'AccountId')).toBe(2);
    await target.pool.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_ferry CASCADE`);
  }, 60_000);

  test('keep on a Delete reference loads the bills of missing accounts, and their lines follow them in', async () => {
    const schema = `${target.schema}_k`;
    const { result, planned, rejects } = await migrate(
      withPolicy(catalog, 'Sales.Bill', 'AccountId', 'keep'),
      schema,
    );
    expect(result.status).toBe('completed');
    const bills = await target.pool.query(
      `SELECT id, account_id FROM ${schema}.bill WHERE id IN (7, 61, 62) ORDER BY id`,
    );
    expect(bills.rows).toEqual([
      { id: 7, account_id: REJECTED_ACCOUNT },
      { id: 61, account_id: MISSING_ACCOUNTS[0] },
      { id: 62, account_id: MISSING_ACCOUNTS[1] },
    ]);
    expect(planned.stats.get('Sales.Bill', 'dangling-reference-kept', 'AccountId')).toBe(5);
    expect(rejects.records.filter((r) => r.entity === 'Sales.BillLine')).toEqual([]);
    await target.pool.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_ferry CASCADE`);
  }, 60_000);
});

// Cycle pass 2: Employee.ManagerId is an optional self reference, loaded NULL by pass 1 and set by
// pass 2. Pass 2 can only leave a dangling manager NULL (the row is written): it records the skipped
// update as a reject (counted by `Sales.Employee#pass2`) with the parent key, and skips the rejected
// employee.
describe.each([
  ['MariaDB', mariadbDatabase],
  ['PostgreSQL', postgresDatabase],
])('a deferred (cycle) reference to a missing or rejected parent, O11 on %s', (_name, factory) => {
  describe.each([['ODC-shaped tables'], ['createTables']])('into %s', (tables) => {
    let target: TestTarget;
    let options: O11MigrationOptions;
    let result: RunResult;
    let drop: () => Promise<void>;
    const rejects = new MemoryRejectSink();

    beforeAll(async () => {
      const odc = tables === 'ODC-shaped tables';
      const entities = ['Sales.Employee'];
      ({ target, options, drop } = await openShapeMigration({
        factory,
        shape: orphanShape,
        seed: 6,
        entities,
        odc,
        batchSize: 3,
      }));
      const { plan } = await o11MigrationPlan(options);
      const checkpoints = options.checkpoints!;
      result = await run(plan, { runId: 'pass2', checkpoints, rejects, retry: { retries: 0 } });
    }, 120_000);
    afterAll(async () => drop?.());

    test('both passes complete; pass 2 rejects the two dangling updates and skips the rejected row', () => {
      expect(result.status).toBe('completed');
      const counts = Object.fromEntries(
        result.entities.map((e) => [e.entity, [e.rowsRead, e.rowsWritten, e.rowsRejected, e.rowsFiltered]]),
      );
      // Pass 2: employee 1 has no manager and employee 4 was rejected (filtered); 6 and 8 rejected.
      expect(counts).toEqual({ 'Sales.Employee': [10, 9, 1, 0], 'Sales.Employee#pass2': [10, 6, 2, 2] });
      expect(rejects.records.map(({ message: _m, ...r }) => r)).toEqual([
        {
          entity: 'Sales.Employee',
          key: [String(REJECTED_EMPLOYEE)],
          attribute: 'HiredOn',
          rule: 'date-range',
        },
        ...[
          [6, REJECTED_EMPLOYEE],
          [8, MISSING_MANAGER],
        ].map(([employee, manager]) => ({
          entity: 'Sales.Employee',
          key: [String(employee)],
          attribute: 'ManagerId',
          rule: 'dangling-reference',
          parent: { entity: 'Sales.Employee', key: [String(manager)] },
        })),
      ]);
      expect(rejects.records[1]!.message).toMatch(/pass 2 skips this update, the row keeps NULL here/);
    });

    test('every written employee has its source manager, or NULL where the manager is not there', async () => {
      const got = await target.pool.query(
        `SELECT id, manager_id FROM ${target.schema}.employee AS t ORDER BY t.id`,
      );
      const want = Array.from({ length: ORPHAN_ROWS.employees }, (_, i) => i + 1)
        .filter((e) => e !== REJECTED_EMPLOYEE)
        .map((e) => ({ id: e, manager_id: e === 6 || e === 8 ? null : employeeManager(e) }));
      expect(got.rows).toEqual(want);
    });

    test('verify agrees', async () => {
      expect((await verifyMigration(options)).ok).toBe(true);
    });
  });
});
