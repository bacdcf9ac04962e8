// `ferry assess` through the real command on a real MariaDB O11 sample: each blocking pattern the
// sample can hold (user provider, auto-number static entity, orphan of an Ignore reference, dangling
// reference of a Protect and of a Delete rule, NUL in text, reference to a deleted static record) is reported when present with its exact count, and absent when it is not;
// a database without OSSYS_ESPACE.USER_PROVIDER_ESPACE_ID gets a "not checked" note. Values never print.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

interface Finding {
  readonly check: string;
  readonly module?: string;
  readonly entity?: string;
  readonly attribute?: string;
  readonly rows: number;
}
interface Report {
  readonly ok: boolean;
  readonly findings: Finding[];
  readonly notes: string[];
}

let fixture: Fixture;
const run = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const ORPHAN_PARENT = 987_654_321;
const PROVIDER_ID = 990;

async function assess(...args: string[]): Promise<{ code: number | null; report: Report }> {
  const result = await run('--json', 'assess', ...args);
  expect(result.stderr).not.toMatch(/error/i);
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

async function scalar(sql: string, bindings: readonly (string | number)[] = []): Promise<number> {
  const [[row]] = (await fixture.source.raw(sql, bindings)) as [[{ n: unknown }]];
  return Number(row.n);
}

async function physical(name: string): Promise<string> {
  const row: { PHYSICAL_TABLE_NAME: string } | undefined = await fixture
    .source('OSSYS_ENTITY')
    .where({ NAME: name })
    .first('PHYSICAL_TABLE_NAME');
  expect(row, name).toBeDefined();
  return row!.PHYSICAL_TABLE_NAME;
}

const deletedStatusRows = async () =>
  scalar(
    `SELECT COUNT(*) AS n FROM ${await physical('Order')} WHERE STATUSID IN ` +
      `(SELECT DATA_ID FROM OSSYS_ENTITY_RECORD WHERE IS_ACTIVE = 0)`,
  );
const of = (report: Report, check: string) => report.findings.filter((f) => f.check === check);

beforeAll(async () => {
  fixture = await openFixture(60);
  const discovered = await run('discover');
  expect(discovered.code, discovered.stderr).toBe(ExitCode.ok);
});
afterAll(async () => fixture.drop());

describe.sequential('ferry assess on MariaDB', () => {
  it('the sample as built: deleted static references only; every module uses Users', async () => {
    const { code, report } = await assess();
    expect(code).toBe(ExitCode.findings);
    expect(report.notes).toEqual([]);
    const expected = await deletedStatusRows();
    expect(expected).toBeGreaterThan(0);
    expect(of(report, 'deleted-static-reference')).toEqual([
      expect.objectContaining({ entity: 'Sales.Order', attribute: 'StatusId', rows: expected }),
    ]);
    // StatusId is mandatory: the run rejects those rows (issue 13), and assess says so (not "NULL").
    expect(of(report, 'deleted-static-reference')[0]).toMatchObject({
      message: expect.stringContaining('the attribute is mandatory: run rejects those rows') as unknown,
    });
    for (const check of ['user-provider', 'static-autonumber', 'ignore-orphan'])
      expect(of(report, check), check).toEqual([]);
  });

  it('finds a foreign user provider, an auto-number static entity and an Ignore orphan', async () => {
    const db = fixture.source;
    await db('OSSYS_ESPACE').insert({ ID: PROVIDER_ID, NAME: 'AcmeUsers', SS_KEY: 'acme', IS_ACTIVE: 1 });
    await db('OSSYS_ESPACE').where({ NAME: 'Sales' }).update({ USER_PROVIDER_ESPACE_ID: PROVIDER_ID });
    const status: { ID: number } | undefined = await db('OSSYS_ENTITY')
      .where({ NAME: 'OrderStatus' })
      .first('ID');
    await db('OSSYS_ENTITY_ATTR').where({ ENTITY_ID: status!.ID, NAME: 'Id' }).update({ IS_AUTONUMBER: 1 });
    await db(await physical('Category')).insert({ NAME: 'orphan', PARENTID: ORPHAN_PARENT, SORTORDER: 0 });

    const { code, report } = await assess();
    expect(code).toBe(ExitCode.findings);
    const userRows = await scalar(
      `SELECT COUNT(*) AS n FROM ${await physical('Order')} WHERE CREATEDBY IS NOT NULL AND CREATEDBY <> 0`,
    );
    expect(userRows).toBeGreaterThan(0);
    expect(of(report, 'user-provider')).toEqual([
      expect.objectContaining({ module: 'Sales', rows: userRows }),
    ]);
    expect(of(report, 'static-autonumber')).toEqual([
      expect.objectContaining({ entity: 'Sales.OrderStatus', attribute: 'Id', rows: 4 }),
    ]);
    expect(of(report, 'ignore-orphan')).toEqual([
      expect.objectContaining({ entity: 'Catalog.Category', attribute: 'ParentId', rows: 1 }),
    ]);

    const text = await run('assess');
    expect(text.code).toBe(ExitCode.findings);
    expect(text.stdout).toMatch(/user-provider\s+Sales\s+\d+/);
    expect(text.stdout).toContain('static-autonumber');
    expect(text.stdout).not.toContain(String(ORPHAN_PARENT));
  });

  it('scopes the user-provider check to the chosen entities’ modules', async () => {
    const { report } = await assess('-e', 'Catalog.Category');
    expect(of(report, 'user-provider')).toEqual([]);
    expect(of(report, 'ignore-orphan')).toHaveLength(1);
  });

  it('counts dangling references of a Protect rule (no O11 constraint) and NUL characters per attribute', async () => {
    const db = fixture.source;
    const product = await physical('Product');
    const first: { ID: number; NAME: string } = await db(product).orderBy('ID').first('ID', 'NAME');
    const second: { ID: number } = await db(product).where('ID', '>', first.ID).orderBy('ID').first('ID');
    const category: { CATEGORYID: number | null } = await db(product)
      .where({ ID: second.ID })
      .first('CATEGORYID');
    // O11 creates the Protect constraint only where it can; data edited by hand has none to obey.
    await db.transaction(async (trx) => {
      await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
      await trx(product).where({ ID: second.ID }).update({ CATEGORYID: ORPHAN_PARENT });
      await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
    });
    await db.raw('UPDATE ?? SET NAME = CONCAT(NAME, CHAR(0 USING utf8mb4)) WHERE ID = ?', [
      product,
      first.ID,
    ]);
    try {
      const { report } = await assess('-e', 'Catalog.Product');
      expect(of(report, 'dangling-reference')).toEqual([
        expect.objectContaining({ entity: 'Catalog.Product', attribute: 'CategoryId', rows: 1 }),
      ]);
      expect(of(report, 'nul-character')).toEqual([
        expect.objectContaining({ entity: 'Catalog.Product', attribute: 'Name', rows: 1 }),
      ]);
      expect(JSON.stringify(report)).not.toContain(String(ORPHAN_PARENT));
    } finally {
      await db.transaction(async (trx) => {
        await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
        await trx(product).where({ ID: second.ID }).update({ CATEGORYID: category.CATEGORYID });
        await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
      });
      await db(product).where({ ID: first.ID }).update({ NAME: first.NAME });
    }
  });

  it('counts dangling references of a Delete rule (no O11 constraint), as many as SQL finds', async () => {
    const db = fixture.source;
    const line = await physical('OrderLine');
    const order = await physical('Order');
    // The ids as text: a BIGINT past 2^53 must not pass through a JS number.
    const lines: { ID: number; ORDERID: string }[] = await db(line)
      .orderBy('ID')
      .limit(2)
      .select('ID', db.raw('CAST(ORDERID AS CHAR) AS ORDERID'));
    // Two lines point at orders that never existed (Long Integer ids past 2^53, as the sample's).
    await db.transaction(async (trx) => {
      await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
      for (const [i, l] of lines.entries())
        await trx(line)
          .where({ ID: l.ID })
          .update({ ORDERID: db.raw(`9007199254799${i}01`) });
      await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
    });
    try {
      const expected = await scalar(
        `SELECT COUNT(*) AS n FROM ${line} l WHERE NOT EXISTS (SELECT 1 FROM ${order} o WHERE o.ID = l.ORDERID)`,
      );
      expect(expected).toBe(2);
      const { report } = await assess('-e', 'Sales.OrderLine');
      expect(of(report, 'dangling-reference')).toEqual([
        expect.objectContaining({ entity: 'Sales.OrderLine', attribute: 'OrderId', rows: expected }),
      ]);
      expect(of(report, 'ignore-orphan')).toEqual([]);
      expect(JSON.stringify(report)).not.toContain('9007199254799');
    } finally {
      await db.transaction(async (trx) => {
        await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
        for (const l of lines)
          await trx(line)
            .where({ ID: l.ID })
            .update({ ORDERID: db.raw(String(l.ORDERID)) });
        await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
      });
    }
  });

  it('reports nothing once the patterns are gone (a NULL user provider is no finding)', async () => {
    const db = fixture.source;
    await db('OSSYS_ESPACE').where({ NAME: 'Sales' }).update({ USER_PROVIDER_ESPACE_ID: null });
    await db('OSSYS_ENTITY_ATTR').where({ NAME: 'Id' }).update({ IS_AUTONUMBER: 0 });
    await db(await physical('Category'))
      .where({ PARENTID: ORPHAN_PARENT })
      .delete();
    await db(await physical('Order'))
      .whereIn('STATUSID', db('OSSYS_ENTITY_RECORD').where({ IS_ACTIVE: 0 }).select('DATA_ID'))
      .update({ STATUSID: 1 });
    expect(await deletedStatusRows()).toBe(0);

    const { code, report } = await assess();
    expect(report).toEqual({ command: 'assess', ok: true, findings: [], notes: [] });
    expect(code).toBe(ExitCode.ok);
  });

  it('says the user provider was not checked when OSSYS_ESPACE lacks the column', async () => {
    await fixture.source.schema.alterTable('OSSYS_ESPACE', (t) => t.dropColumn('USER_PROVIDER_ESPACE_ID'));
    const { code, report } = await assess();
    expect(code).toBe(ExitCode.ok);
    expect(report.notes).toEqual([
      'user provider not checked: OSSYS_ESPACE has no USER_PROVIDER_ESPACE_ID column',
    ]);
    const text = await run('assess');
    expect(text.code).toBe(ExitCode.ok);
    expect(text.stdout).toContain(
      'note: user provider not checked: OSSYS_ESPACE has no USER_PROVIDER_ESPACE_ID column',
    );
  });
});
