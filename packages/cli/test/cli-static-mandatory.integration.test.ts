// Issue 13, static records: Sales.Order.StatusId is a mandatory reference to the static entity
// OrderStatus. The generated mapping keeps it mandatory, so a table Ferry creates has status_id
// NOT NULL and an ODC-shaped table with NOT NULL passes `check`; an order whose status record was
// deleted (inactive) is rejected (`deleted-static-record`, entity, attribute and key) instead of
// loading NULL. Expected orders and rejects come from SQL on the source. MariaDB and PostgreSQL sources.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, PG_URL, type Fixture, type SourceEngine } from './cli-harness.js';

const ENTITIES = ['-e', 'Sales.Order'];

describe.each<SourceEngine>(['mariadb', 'postgres'])('%s source: a mandatory static reference', (engine) => {
  let fixture: Fixture;
  /** `id:status_id` of every source order, and the ids of those whose status record is deleted. */
  let orders: string[];
  let deleted: string[];
  const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

  beforeAll(async () => {
    fixture = await openFixture(60, {}, {}, PG_URL, engine);
    const table = await physicalTable(fixture.source, 'Order');
    const text = (column: string) =>
      engine === 'postgres' ? `CAST("${column}" AS text)` : `CAST(${column} AS CHAR)`;
    const rows: { id: string; status: string }[] = await fixture
      .source(table)
      .select(fixture.source.raw(`${text('ID')} AS id`), fixture.source.raw(`${text('STATUSID')} AS status`));
    const inactive: { DATA_ID: string }[] = await fixture
      .source('OSSYS_ENTITY_RECORD')
      .where({ IS_ACTIVE: false })
      .select('DATA_ID');
    const gone = new Set(inactive.map((r) => r.DATA_ID));
    orders = rows.map((r) => `${r.id}:${r.status}`);
    deleted = rows.filter((r) => gone.has(r.status)).map((r) => r.id);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.length).toBeLessThan(rows.length);
    expect((await cli('discover')).code).toBe(ExitCode.ok);
  }, 180_000);
  afterAll(async () => fixture?.drop());

  it('the generated mapping keeps StatusId mandatory', async () => {
    const mapping = JSON.parse(await readFile(join(fixture.dir, 'ferry.mapping.json'), 'utf8')) as {
      entities: {
        name: string;
        attributes: Record<string, { mandatory?: boolean; reference?: { kind: string } }>;
      }[];
    };
    const status = mapping.entities.find((e) => e.name === 'Sales.Order')!.attributes['StatusId']!;
    expect(status).toMatchObject({ mandatory: true, reference: { kind: 'static' } });
  });

  it('run (createTables): status_id NOT NULL; orders of deleted statuses rejected with reason', async () => {
    const result = await cli('run', ...ENTITIES);
    expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
    const nullable = await fixture.target.query<{ is_nullable: string }>(
      `SELECT is_nullable FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'order' AND column_name = 'status_id'`,
      [fixture.targetSchema],
    );
    expect(nullable.rows).toEqual([{ is_nullable: 'NO' }]);
    const runId = String(fixture.config.runId);
    const rejects = (await readFile(join(fixture.dir, '.ferry', `${runId}.rejects.ndjson`), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { entity: string; key: string[]; attribute: string; rule: string });
    expect(rejects.map((r) => r.key[0]).sort()).toEqual([...deleted].sort());
    for (const r of rejects)
      expect(r).toMatchObject({
        entity: 'Sales.Order',
        attribute: 'StatusId',
        rule: 'deleted-static-record',
      });
    const target = await fixture.target.query<{ line: string }>(
      `SELECT id::text || ':' || status_id::text AS line FROM ${fixture.targetSchema}."order"`,
    );
    const kept = orders.filter((line) => !deleted.includes(line.slice(0, line.indexOf(':'))));
    expect(target.rows.map((r) => r.line).sort()).toEqual(kept.sort());
  }, 180_000);

  it('check passes on an ODC-shaped table whose status_id is NOT NULL', async () => {
    const s = fixture.targetSchema;
    await fixture.target.query(`DROP TABLE ${s}."order";
      CREATE TABLE ${s}."order" (id bigint PRIMARY KEY, number varchar(20) NOT NULL,
        customer_name varchar(100), status_id integer NOT NULL, created_by uuid, ordered_at timestamp,
        delivery_time time, total numeric(37,8), phone varchar(20), notes varchar(2000))`);
    await fixture.writeConfig({ target: { ...(fixture.config.target as object), createTables: false } });
    const check = await cli('--json', 'check', ...ENTITIES);
    expect(check.code, check.stdout + check.stderr).toBe(ExitCode.ok);
  }, 180_000);
});
