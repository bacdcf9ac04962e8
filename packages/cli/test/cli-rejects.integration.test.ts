// A run whose mapping filters and rejects rows: Sales.Order drops three ids (a filter) and makes its
// static StatusId mandatory, so orders pointing at a deleted status are rejected. Every count is
// computed with SQL on the source, and read = written + rejected + filtered must hold in the run
// report and `status`; the rejects file lists exactly the rejected keys, with no row values.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture, physicalTable } from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  fixture = await openFixture(300, { rejects: { maxRows: 10_000 } });
  expect((await cli('discover')).code).toBe(ExitCode.ok);
}, 240_000);
afterAll(async () => fixture.drop());

/** Give Sales.Order the row filter and a mandatory StatusId (a deleted status then rejects the row). */
async function editOrderMapping(filter: unknown): Promise<void> {
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as {
    entities: { name: string; filter?: unknown; attributes: Record<string, { mandatory?: boolean }> }[];
  };
  const order = mapping.entities.find((e) => e.name === 'Sales.Order')!;
  order.filter = filter;
  order.attributes.StatusId!.mandatory = true;
  await writeFile(path, JSON.stringify(mapping, null, 2));
}

interface Counts {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  rowsFiltered: number;
}

describe('ferry run with filtered and rejected rows', () => {
  it('adds up in the report and status, and the rejects file holds exactly the rejected keys', async () => {
    const table = await physicalTable(fixture.source, 'Order');
    const deleted = `STATUSID IN (SELECT DATA_ID FROM OSSYS_ENTITY_RECORD WHERE IS_ACTIVE = 0)`;
    const [all] = (await fixture.source.raw(`SELECT CAST(ID AS CHAR) AS id FROM ${table}`)) as [
      { id: string }[],
    ];
    const [rejected] = (await fixture.source.raw(
      `SELECT CAST(o.ID AS CHAR) AS id FROM ${table} o WHERE o.${deleted} ORDER BY o.ID`,
    )) as [{ id: string }[]];
    // Filter out three orders that would not be rejected (ids as text: Sales.Order ids pass 2^53).
    const [dropped] = (await fixture.source.raw(
      `SELECT CAST(o.ID AS CHAR) AS id FROM ${table} o WHERE NOT o.${deleted} ORDER BY o.ID LIMIT 3`,
    )) as [{ id: string }[]];
    expect(rejected.length).toBeGreaterThan(0);
    expect(dropped).toHaveLength(3);
    await editOrderMapping({ attribute: 'Id', op: 'not-in', values: dropped.map((row) => row.id) });
    const expected: Counts = {
      rowsRead: all.length,
      rowsFiltered: 3,
      rowsRejected: rejected.length,
      rowsWritten: all.length - 3 - rejected.length,
    };

    const result = await cli('run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = JSON.parse(
      await readFile(join(fixture.dir, '.ferry', `${String(fixture.config.runId)}.report.json`), 'utf8'),
    ) as { entities: (Counts & { entity: string })[]; rejectsFile?: string };
    expect(report.entities.find((e) => e.entity === 'Sales.Order')).toMatchObject(expected);
    const status = JSON.parse((await cli('--json', 'status')).stdout) as {
      checkpoints: (Counts & { entity: string })[];
    };
    expect(status.checkpoints.find((c) => c.entity === 'Sales.Order')).toMatchObject(expected);
    const { rows } = await fixture.target.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${fixture.targetSchema}."order"`,
    );
    expect(Number(rows[0]!.n)).toBe(expected.rowsWritten);

    expect(report.rejectsFile).toBeDefined();
    const records = (await readFile(report.rejectsFile!, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const orders = records.filter((r) => r.entity === 'Sales.Order');
    expect(
      orders.map((r) => (r.key as string[])[0]!).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)),
    ).toEqual(rejected.map((row) => row.id));
    for (const record of orders) {
      expect(Object.keys(record).sort()).toEqual(
        expect.arrayContaining(['entity', 'key', 'message', 'rule']),
      );
      expect(
        Object.keys(record).every((k) => ['entity', 'key', 'attribute', 'rule', 'message'].includes(k)),
      ).toBe(true);
    }
  }, 300_000);
});
