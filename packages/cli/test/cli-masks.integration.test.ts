// Masking personal data (issue 16) through the real `ferry`, MariaDB → PostgreSQL and PostgreSQL →
// PostgreSQL: `discover --suggest-masks`, masks on every O11 type an attribute can have (a non-key Long
// Integer added to the sample for it), a run killed with SIGKILL and resumed, as a source login that
// cannot read the redacted and nulled columns at all. Checked independently of the mapping code with SQL
// on both sides: every masked non-empty value changed in its row and every O11 empty value kept, no
// source value of any masked column in a `pg_dump` of the target unless proven a coincidence, equal
// sources equal in the target (joins), distinct e-mails and photos distinct, users matched by masked
// e-mail, a second fresh run byte-identical (checksums), `verify` passing, and the key nowhere.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MaskKey, userMasker, type MappingSpec } from '@ferry/mapping';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  ferry,
  openFixture,
  physicalTable,
  startRunUntil,
  suffix,
  type Fixture,
  type SourceEngine,
} from './cli-harness.js';
import { dumpSchema } from './mask-dump.js';
import {
  addSerialNumber,
  restrictedSource,
  SERIAL_MAX,
  sourceTexts,
  targetTexts,
  tableChecksums,
} from './mask-fixture.js';
import { dumpForm, isEmptyForm, searchLeaks, type Entity } from './mask-leaks.js';

const KEY = `mask-key-${suffix()}-${suffix()}-${suffix()}`;
/**
 * Columns the source login may not read. MariaDB: the suggested `null` on Photo; PostgreSQL: Photo
 * hashed instead (Binary Data `hash` covered too), so only the redacted Description is hidden.
 */
const HIDDEN = (engine: SourceEngine): string[] =>
  engine === 'mariadb' ? ['DESCRIPTION', 'PHOTO'] : ['DESCRIPTION'];

/** Masks added by hand on top of the suggested ones, so every maskable O11 type is covered. */
const EXTRA: Record<string, Record<string, unknown>> = {
  'Catalog.Product': {
    Description: 'redact',
    Weight: 'hash',
    IsAvailable: 'redact',
    SerialNo: 'hash',
    LaunchDate: 'shift',
    CreatedOn: { kind: 'fake', as: 'date', from: '1920-01-01', to: '1929-12-31' },
  },
  'Sales.Order': {
    OrderedAt: { kind: 'shift', days: 30 },
    DeliveryTime: 'hash',
    Total: 'hash',
    Notes: 'hash',
  },
  'Sales.OrderLine': { Quantity: 'hash', Discount: 'hash' },
};

/** Shifted columns and their largest shift in days. */
const SHIFTED: Record<string, number> = { LAUNCHDATE: 180, ORDEREDAT: 30 };

describe.each<SourceEngine>(['mariadb', 'postgres'])('masked run, %s → PostgreSQL', (engine) => {
  let fixture: Fixture;
  let env: NodeJS.ProcessEnv;
  let dropLogin: () => Promise<void> = async () => undefined;
  const second = `ferry_cli_m2_${suffix()}`;
  const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env });
  /** The mapping as discover wrote it and the first test completed (masks, source columns, types). */
  const readMapping = async (): Promise<{ entities: Entity[] }> =>
    JSON.parse(await readFile(join(fixture.dir, 'ferry.mapping.json'), 'utf8')) as { entities: Entity[] };
  const outputs: string[] = [];

  beforeAll(async () => {
    fixture = await openFixture(
      1500,
      { batchSize: 50, commitEvery: 200, concurrency: 1 },
      {},
      undefined,
      engine,
    );
    env = { ...fixture.env, FERRY_MASK_KEY: KEY };
    // One product's sales e-mail is an O11 user's: masked alike, it must still equal that user's.
    await fixture
      .source(await physicalTable(fixture.source, 'Product'))
      .update({ SALESEMAIL: 'User2@Example.com ' })
      .where({ ID: 2 });
    await addSerialNumber(fixture.source, 'Product', await physicalTable(fixture.source, 'Product'));
    // O11 empty values in masked number and Time columns (the sample has none there), on the first ten
    // rows of each table (Order ids are large Long Integers): kept as they are.
    const empty: [string, Record<string, unknown>][] = [
      ['Product', { WEIGHT: 0 }],
      ['Order', { DELIVERYTIME: '1900-01-01 00:00:00' }],
      ['OrderLine', { QUANTITY: 0, DISCOUNT: 0 }],
    ];
    for (const [entity, values] of empty) {
      const table = await physicalTable(fixture.source, entity);
      const ids = (await fixture.source(table).orderBy('ID').limit(10).pluck('ID')) as number[];
      await fixture.source(table).update(values).whereIn('ID', ids);
    }
  }, 300_000);
  afterAll(async () => {
    await fixture.target.query(`DROP SCHEMA IF EXISTS ${second} CASCADE`);
    await dropLogin();
    await fixture.drop();
  });

  it('discover proposes masks, run refuses without the key, a killed run resumes as a login blind to redacted columns', async () => {
    const discover = await cli('discover', '--suggest-masks');
    expect(discover.code, discover.stderr).toBe(ExitCode.ok);
    outputs.push(discover.stdout, discover.stderr);
    expect(discover.stdout).toContain('Proposed 4 mask(s)');
    expect(discover.stdout).toMatch(/Catalog\.Product\s+SalesEmail\s+fake email/);
    expect(discover.stdout).toMatch(/Catalog\.Product\s+Photo\s+null/);
    expect(discover.stdout).toMatch(/Sales\.Order\s+CustomerName\s+fake full-name/);
    expect(discover.stdout).toMatch(/Sales\.Order\s+Phone\s+fake phone/);
    const file = join(fixture.dir, 'ferry.mapping.json');
    const mapping = JSON.parse(await readFile(file, 'utf8')) as MappingSpec & {
      users?: Record<string, unknown>;
    };
    for (const entity of mapping.entities) {
      const extra = {
        ...EXTRA[entity.name ?? ''],
        ...(engine === 'postgres' && entity.name === 'Catalog.Product' ? { Photo: 'hash' } : {}),
      };
      for (const [attribute, mask] of Object.entries(extra))
        (entity.attributes[attribute] as { mask?: unknown }).mask = mask;
    }
    // A mask that does not fit its type is refused by check, with its JSON pointer.
    const order = mapping.entities.findIndex((e) => e.name === 'Sales.Order');
    const misfit = structuredClone(mapping);
    (misfit.entities[order]!.attributes['Number'] as { mask?: unknown }).mask = 'shift';
    await writeFile(file, JSON.stringify(misfit, null, 2));
    const refused = await cli('check');
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.stderr).toContain(`/entities/${order}/attributes/Number/mask: "shift" moves dates`);
    await writeFile(file, JSON.stringify({ ...mapping, users: { ...mapping.users, mask: true } }, null, 2));

    // ODC users as `ferry users --apply` creates them from a masked mapping: masked e-mails.
    const o11Users = await fixture
      .source('OSSYS_USER')
      .select<{ ID: number; EMAIL: string }[]>('ID', 'EMAIL');
    const masker = userMasker(MaskKey.fromSecret(KEY));
    const odc = o11Users.map((u) => ({
      id: `00000000-0000-4000-8000-${String(u.ID).padStart(12, '0')}`,
      email: masker.email(u.EMAIL),
    }));
    await writeFile(join(fixture.dir, 'odc-users.json'), JSON.stringify(odc));
    const login = await restrictedSource(engine, fixture, 'Product', HIDDEN(engine));
    dropLogin = login.drop;
    env = { ...env, FERRY_TEST_SOURCE: login.url };
    // The login really cannot read them: the database refuses, so a run that selected them would fail.
    const blind = knexFactory({ client: engine === 'mariadb' ? 'mysql2' : 'pg', connection: login.url });
    const table = await physicalTable(fixture.source, 'Product');
    await expect(blind(table).select('ID')).resolves.toHaveLength(1500);
    for (const column of HIDDEN(engine))
      await expect(blind(table).select(column).limit(1)).rejects.toThrow(/denied/);
    await blind.destroy();
    await fixture.writeConfig({ users: { unmatched: 'empty-guid', odcUsersFile: 'odc-users.json' } });

    const keyless = await ferry(['check'], { cwd: fixture.dir, env: { ...env, FERRY_MASK_KEY: '' } });
    expect(keyless.code).toBe(ExitCode.usage);
    expect(keyless.stderr).toContain('FERRY_MASK_KEY');

    const check = await cli('--stack', 'check');
    expect(check.code, check.stderr + check.stdout).toBe(ExitCode.ok);
    const { child, done } = await startRunUntil({ dir: fixture.dir, env });
    child.kill('SIGKILL');
    await done;
    const resumed = await cli('run');
    outputs.push(resumed.stdout, resumed.stderr);
    expect(resumed.code, resumed.stderr.slice(-3000)).toBe(ExitCode.ok);
    expect(resumed.stderr).toContain('(resuming)');
    const verify = await cli('verify');
    outputs.push(verify.stdout, verify.stderr);
    expect(verify.code, verify.stdout).toBe(ExitCode.ok);
  }, 600_000);

  it('changes every masked non-empty value in its row, keeps every O11 empty value, and leaves no source value in a pg_dump of the target', async () => {
    const s = fixture.targetSchema;
    const mapping = await readMapping();
    const checks: [string, string, Record<string, string>][] = [
      [
        'Product',
        'product',
        {
          SALESEMAIL: 'sales_email',
          DESCRIPTION: 'description',
          WEIGHT: 'weight',
          ISAVAILABLE: 'is_available',
          LAUNCHDATE: 'launch_date',
          CREATEDON: 'created_on',
          SERIALNO: 'serial_no',
          PRICE: 'price',
          ...(engine === 'postgres' ? { PHOTO: 'photo' } : {}),
        },
      ],
      [
        'Order',
        'order',
        {
          CUSTOMERNAME: 'customer_name',
          PHONE: 'phone',
          NOTES: 'notes',
          ORDEREDAT: 'ordered_at',
          DELIVERYTIME: 'delivery_time',
          TOTAL: 'total',
          NUMBER: 'number',
        },
      ],
      ['OrderLine', 'order_line', { QUANTITY: 'quantity', DISCOUNT: 'discount' }],
    ];
    const unmasked = new Set(['PRICE', 'NUMBER']);
    let compared = 0;
    const emptyKept: Record<string, number> = {};
    for (const [entity, table, columns] of checks) {
      const spec = mapping.entities.find((e) => e.source.entity === entity)!;
      const typeOf = (column: string): string =>
        Object.values(spec.attributes).find((a) => a.column === column)!.type;
      const source = await sourceTexts(
        engine,
        fixture.source,
        await physicalTable(fixture.source, entity),
        Object.keys(columns),
      );
      const target = await targetTexts(fixture.target, s, table, Object.values(columns));
      for (const [id, row] of source) {
        const mapped = target.get(id);
        if (mapped === undefined) continue; // rejected (e.g. a reference to a deleted record)
        for (const [column, to] of Object.entries(columns)) {
          const type = typeOf(column);
          const before = dumpForm(type, row[column] ?? null);
          const after = dumpForm(type, mapped[to] ?? null);
          const where = `${entity}.${column} ${id}`;
          if (unmasked.has(column) || before === null) {
            expect(after, where).toBe(before); // the comparison itself is sound
            continue;
          }
          if (isEmptyForm(type, before)) {
            expect(after, where).toBe(before); // README: the O11 "no value" of each type is kept
            emptyKept[column] = (emptyKept[column] ?? 0) + 1;
            continue;
          }
          compared += 1;
          expect(after, where).not.toBe(before);
          expect(isEmptyForm(type, after!), where).toBe(column === 'DESCRIPTION' || column === 'ISAVAILABLE');
          const shift = SHIFTED[column];
          if (shift !== undefined) {
            const days =
              Math.abs(Date.parse(`${after!.slice(0, 10)}Z`) - Date.parse(`${before.slice(0, 10)}Z`)) /
              86_400_000;
            expect(days, where).toBeGreaterThanOrEqual(1);
            expect(days, where).toBeLessThanOrEqual(shift);
          }
          if (column === 'SERIALNO') {
            // Long Integer: exact text both sides, sign kept, same digit count (one fewer only where the
            // same count would pass 2^63 - 1), within the 64-bit range.
            const [a, b] = [BigInt(after!), BigInt(before)];
            expect(a < 0n, where).toBe(b < 0n);
            const digits = (n: bigint): number => (n < 0n ? -n : n).toString().length;
            expect(digits(b) - digits(a), where).toBeGreaterThanOrEqual(0);
            expect(digits(b) - digits(a), where).toBeLessThanOrEqual(1);
            expect(a >= -(2n ** 63n) + 1n && a <= 2n ** 63n - 1n, where).toBe(true);
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // The sample has O11 empty values in masked columns of several types: kept, as the README says.
    for (const column of ['SERIALNO', 'WEIGHT', 'DELIVERYTIME', 'QUANTITY', 'DISCOUNT', 'SALESEMAIL'])
      expect(emptyKept[column] ?? 0, `${column} in ${JSON.stringify(emptyKept)}`).toBeGreaterThan(0);
    // The Long Integer masked is really past 2^53: ±SERIAL_MAX at ids 1 and 2.
    const serials = await targetTexts(fixture.target, s, 'product', ['serial_no']);
    expect(serials.get('1')!['serial_no']).toMatch(/^[1-9]\d{17,18}$/);
    expect(serials.get('1')!['serial_no']).not.toBe(String(SERIAL_MAX));
    expect(serials.get('2')!['serial_no']).toMatch(/^-[1-9]\d{17,18}$/);

    // Every masked source value of every type, searched among all fields of a real pg_dump of the
    // target schema; an occurrence passes only when proven coincidental row by row (mask-leaks.ts).
    const dump = await dumpSchema(fixture.env['FERRY_TEST_TARGET']!, s);
    expect(dump.map((t) => t.table)).toEqual(expect.arrayContaining(['product', 'order', 'order_line']));
    const leaks = await searchLeaks(engine, fixture.source, mapping.entities, dump);
    expect(leaks.unexplained, JSON.stringify(leaks.unexplained.slice(0, 20))).toEqual([]);
    expect(leaks.searched).toBeGreaterThan(10_000);

    // Redacted descriptions and availability: every one the O11 empty value; photos NULL (MariaDB)
    // or, where there was a photo, its 32-byte HMAC (PostgreSQL).
    const { rows } = await fixture.target.query<{ n: string; d: string; a: string; p: string; h: string }>(
      `SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE description <> '') AS d,
              COUNT(*) FILTER (WHERE is_available) AS a, COUNT(photo) AS p,
              COUNT(*) FILTER (WHERE length(photo) NOT IN (0, 32)) AS h FROM ${s}.product`,
    );
    expect(rows[0]!.d).toBe('0');
    expect(rows[0]!.a).toBe('0');
    expect(rows[0]!.h).toBe('0');
    if (engine === 'mariadb') expect(rows[0]!.p).toBe('0');
    else expect(rows[0]!.p).toBe(rows[0]!.n);
    console.log(
      `masks ${engine}: ${compared} masked values compared, empties kept ${JSON.stringify(emptyKept)}, leak search ${JSON.stringify({ ...leaks, unexplained: leaks.unexplained.length })}`,
    );
  }, 180_000);

  it('keeps joins and user matching: equal sources equal targets, e-mails matched through their masks', async () => {
    const s = fixture.targetSchema;
    // Equal sources give equal targets (joins hold) for every masked column compared here; distinct
    // sources stay distinct only where the README says so: fake e-mails and hashed binary.
    const pairs = async (
      entity: string,
      column: string,
      table: string,
      to: string,
      fold = (v: string): string => v,
    ): Promise<{ sources: number; targets: number }> => {
      const source = await sourceTexts(engine, fixture.source, await physicalTable(fixture.source, entity), [
        column,
      ]);
      const target = await targetTexts(fixture.target, s, table, [to]);
      const image = new Map<string, string | null>();
      for (const [id, row] of source) {
        const value = row[column];
        const mapped = target.get(id)?.[to];
        if (value === null || value === undefined || value === '' || mapped === undefined) continue;
        const folded = fold(value);
        if (image.has(folded)) expect(mapped, `${entity}.${column} ${id}`).toBe(image.get(folded));
        image.set(folded, mapped);
      }
      return { sources: image.size, targets: new Set(image.values()).size };
    };
    const names = await pairs('Order', 'CUSTOMERNAME', 'order', 'customer_name');
    expect(names.sources).toBeGreaterThan(1);
    const emails = await pairs('Product', 'SALESEMAIL', 'product', 'sales_email', (v) =>
      v.trim().toLowerCase(),
    );
    expect(emails.targets).toBe(emails.sources);
    expect(emails.sources).toBeGreaterThan(100);
    if (engine === 'postgres') {
      const photos = await pairs('Product', 'PHOTO', 'product', 'photo');
      expect(photos.targets).toBe(photos.sources);
      expect(photos.sources).toBeGreaterThan(100);
    }
    // The README's caution is real: hashed decimals merge distinct values.
    const discounts = await pairs('OrderLine', 'DISCOUNT', 'order_line', 'discount');
    expect(discounts.targets).toBeLessThan(discounts.sources);
    console.log(
      `masks ${engine}: distinct sources -> targets: names ${JSON.stringify(names)}, e-mails ${JSON.stringify(emails)}, discounts ${JSON.stringify(discounts)}`,
    );
    const mails = await fixture.target.query<{ id: string; sales_email: string }>(
      `SELECT id::text, sales_email FROM ${s}.product WHERE id IN (2, 3)`,
    );
    const byId = new Map(mails.rows.map((r) => [r.id, r.sales_email]));
    const odc = JSON.parse(await readFile(join(fixture.dir, 'odc-users.json'), 'utf8')) as {
      id: string;
      email: string;
    }[];
    expect(byId.get('2')).toBe(odc.find((u) => u.id.endsWith('000000000002'))!.email);
    expect(byId.get('3')).toMatch(/^[a-z.]+[a-z2-7]{16}@example\.com$/);
    const product = await physicalTable(fixture.source, 'Product');
    const createdBy = await fixture
      .source(product)
      .select<{ ID: number; CREATEDBY: number | null }[]>('ID', 'CREATEDBY');
    const target = new Map(
      (
        await fixture.target.query<{ id: string; created_by: string | null }>(
          `SELECT id::text, created_by::text FROM ${s}.product`,
        )
      ).rows.map((r) => [r.id, r.created_by]),
    );
    let matched = 0;
    for (const row of createdBy) {
      if (!target.has(String(row.ID))) continue;
      const expected =
        row.CREATEDBY === null ? null : `00000000-0000-4000-8000-${String(row.CREATEDBY).padStart(12, '0')}`;
      expect(target.get(String(row.ID)), `product ${row.ID}`).toBe(expected);
      if (expected !== null) matched += 1;
    }
    expect(matched).toBeGreaterThan(100);
  }, 120_000);

  it('a second fresh run gives identical tables, and the key is in no file, output or state table', async () => {
    await fixture.writeConfig({
      runId: `second-${suffix()}`,
      users: { unmatched: 'empty-guid', odcUsersFile: 'odc-users.json' },
      target: { ...(fixture.config['target'] as object), schema: second },
    });
    const run = await cli('run');
    outputs.push(run.stdout, run.stderr);
    expect(run.code, run.stderr.slice(-3000)).toBe(ExitCode.ok);
    const first = await tableChecksums(fixture.target, fixture.targetSchema);
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(6);
    expect(await tableChecksums(fixture.target, second)).toEqual(first);
    for (const text of outputs) expect(text).not.toContain(KEY);
    for (const name of await readdir(join(fixture.dir, '.ferry'), { recursive: true })) {
      const path = join(fixture.dir, '.ferry', name);
      const content = await readFile(path, 'utf8').catch(() => '');
      expect(content, path).not.toContain(KEY);
    }
    const state = await fixture.target.query<{ t: string }>(
      `SELECT string_agg(c::text, '') AS t FROM ${fixture.stateSchema}.checkpoints c`,
    );
    expect(state.rows[0]!.t).not.toContain(KEY);
  }, 300_000);
});
