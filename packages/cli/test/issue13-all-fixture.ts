// Setup and expectations of the issue-13 combined test (cli-issue13-all): the big entities filled by
// set-based SQL on MariaDB, the ODC app's tables written by hand, and what must be rejected and loaded,
// derived from SQL on the source alone (not from Ferry's mapping code).

import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type pg from 'pg';
import { LEDGER_FIRST_ID } from '@ferry/adapters/o11';
import type { Fixture } from './cli-harness.js';

/** The entities the test migrates (the mapping holds only these), parents before children. */
export const ALL_SHAPES_ENTITIES = [
  'Catalog.Category',
  'Catalog.Product',
  'Sales.Client',
  'Sales.Invoice',
  'Sales.Account',
  'Sales.AccountTag',
  'Sales.Bill',
  'Sales.BillLine',
  'Sales.Note',
  'Sales.PriceRow',
  'Sales.Ledger',
  'Sales.LedgerLine',
] as const;

/** Rows written by SQL: clients, invoices (3 per client), ledger lines. */
export const BIG = { clients: 40_000, invoices: 120_000, ledgerLines: 40_000 } as const;
/** The client whose name holds a NUL (its MainInvoiceId is set: 12,346 is not a multiple of 3). */
export const NUL_CLIENT = 12_346;
/** The text on each side of that NUL: neither may appear in an output. */
export const SECRET = ['Secret', 'ClientName'] as const;

/** Resolves `Module.Entity` to its physical table. */
export type TableOf = (entity: string) => Promise<string>;

/** The physical tables of `names`, in order. */
async function tablesOf<const N extends readonly string[]>(
  table: TableOf,
  names: N,
): Promise<{ [K in keyof N]: string }> {
  return (await Promise.all(names.map(table))) as { [K in keyof N]: string };
}

async function rows(knex: Knex, sql: string): Promise<Record<string, unknown>[]> {
  const [result] = (await knex.raw(sql)) as [Record<string, unknown>[]];
  return result;
}

/** Replaces Client, Invoice and LedgerLine rows with `BIG` rows (MariaDB's sequence engine). */
export async function fillBigEntities(knex: Knex, table: TableOf): Promise<void> {
  const [client, invoice, ledgerLine] = await tablesOf(table, [
    'Sales.Client',
    'Sales.Invoice',
    'Sales.LedgerLine',
  ]);
  const { clients, invoices, ledgerLines } = BIG;
  await knex.raw(`DELETE FROM \`${invoice}\``);
  await knex.raw(`DELETE FROM \`${client}\``);
  await knex.raw(`DELETE FROM \`${ledgerLine}\``);
  // Cycle: Client.MainInvoiceId (optional, Ignore) ⇄ Invoice.ClientId (mandatory, Protect).
  await knex.raw(
    `INSERT INTO \`${client}\` (ID, NAME, MAININVOICEID)
     SELECT seq, CONCAT('Client ', seq), IF(seq % 3 = 0, NULL, (seq * 7) % ${invoices} + 1)
       FROM seq_1_to_${clients}`,
  );
  await knex.raw(
    `INSERT INTO \`${invoice}\` (ID, NUMBER, CLIENTID, AMOUNT)
     SELECT seq, CONCAT('INV-', seq), seq % ${clients} + 1, CONCAT(seq, '.25') FROM seq_1_to_${invoices}`,
  );
  await knex.raw(
    `UPDATE \`${client}\` SET NAME = CONCAT('${SECRET[0]}', CHAR(0 USING utf8mb4), '${SECRET[1]}') WHERE ID = ${NUL_CLIENT}`,
  );
  // Case 5: LedgerId's type code names another module's SS_KEY; Ledger ids are past 2^31.
  await knex.raw(
    `INSERT INTO \`${ledgerLine}\` (ID, LEDGERID, AMOUNT)
     SELECT seq, ${LEDGER_FIRST_ID} + seq % 10, CONCAT(seq, '.125') FROM seq_1_to_${ledgerLines}`,
  );
}

/**
 * The target tables as the ODC app defines them, written by hand: NOT NULL on mandatory attributes,
 * foreign keys for Protect and Delete references, none for Ignore; `emailLength` for
 * product.sales_email.
 */
export async function createOdcShapeTables(pool: pg.Pool, s: string, emailLength: number): Promise<void> {
  await pool.query(`CREATE SCHEMA ${s}`);
  await pool.query(`
    CREATE TABLE ${s}.category (id integer PRIMARY KEY, name varchar(50) NOT NULL, parent_id integer,
      sort_order integer);
    CREATE TABLE ${s}.product (id integer PRIMARY KEY, name varchar(200) NOT NULL, description text,
      price numeric(37,8), weight numeric(10,3), is_available boolean, launch_date date, photo bytea,
      category_id integer REFERENCES ${s}.category (id), created_by uuid, created_on timestamp,
      sales_email varchar(${emailLength}));
    CREATE TABLE ${s}.client (id integer PRIMARY KEY, name varchar(50) NOT NULL, main_invoice_id integer);
    CREATE TABLE ${s}.invoice (id integer PRIMARY KEY, number varchar(20) NOT NULL,
      client_id integer NOT NULL REFERENCES ${s}.client (id), amount numeric(37,8));
    CREATE TABLE ${s}.account (id integer PRIMARY KEY, name varchar(50) NOT NULL, opened_on timestamp);
    CREATE TABLE ${s}.account_tag (id integer PRIMARY KEY,
      account_id integer NOT NULL REFERENCES ${s}.account (id), label varchar(20));
    CREATE TABLE ${s}.bill (id integer PRIMARY KEY,
      account_id integer NOT NULL REFERENCES ${s}.account (id) ON DELETE CASCADE,
      number varchar(20) NOT NULL);
    CREATE TABLE ${s}.bill_line (id integer PRIMARY KEY,
      bill_id integer NOT NULL REFERENCES ${s}.bill (id), amount numeric(37,8));
    CREATE TABLE ${s}.note (id integer PRIMARY KEY, account_id integer, body varchar(100));
    CREATE TABLE ${s}.price_row (code varchar(10) NOT NULL, n integer NOT NULL, price numeric(37,8),
      PRIMARY KEY (code, n));
    CREATE TABLE ${s}.ledger (id bigint PRIMARY KEY, title varchar(50) NOT NULL);
    CREATE TABLE ${s}.ledger_line (id integer PRIMARY KEY,
      ledger_id bigint NOT NULL REFERENCES ${s}.ledger (id), amount numeric(37,8));`);
}

/** A reject record as the reject file holds it, without its message. */
export interface Reject {
  readonly entity: string;
  readonly key: readonly string[];
  readonly attribute: string;
  readonly rule: string;
  readonly parent?: { readonly entity: string; readonly key: readonly string[] };
}

const NUL = 'CHAR(0 USING utf8mb4)';
/** Source SQL: ids of the accounts and bills that load (not rejected, parents there). */
const goodAccounts = (account: string) =>
  `SELECT ID FROM \`${account}\` WHERE OPENEDON <= '3000-12-31 23:59:59'`;
const goodBills = (bill: string, account: string) =>
  `SELECT ID FROM \`${bill}\` WHERE ACCOUNTID IN (${goodAccounts(account)})`;
const goodClients = (client: string) => `SELECT ID FROM \`${client}\` WHERE LOCATE(${NUL}, NAME) = 0`;

/**
 * The rows that must be rejected, from the source by SQL: text with a NUL (`nul`), a date past
 * 3000-12-31 (`date-range`), and (transitively) rows whose mandatory Protect/Delete reference names a
 * row that is missing or rejected (`dangling-reference`, with the parent key).
 */
export async function expectedRejects(knex: Knex, table: TableOf): Promise<Reject[]> {
  const [client, invoice, account, tag, bill, line] = await tablesOf(table, [
    'Sales.Client',
    'Sales.Invoice',
    'Sales.Account',
    'Sales.AccountTag',
    'Sales.Bill',
    'Sales.BillLine',
  ]);
  const own = async (entity: string, attribute: string, rule: string, sql: string): Promise<Reject[]> =>
    (await rows(knex, sql)).map((r) => ({ entity, key: [String(r['ID'])], attribute, rule }));
  // [child, attribute, parent, child table, column, ids of the parent rows that load]
  const references: [string, string, string, string, string, string][] = [
    ['Sales.Invoice', 'ClientId', 'Sales.Client', invoice, 'CLIENTID', goodClients(client)],
    ['Sales.AccountTag', 'AccountId', 'Sales.Account', tag, 'ACCOUNTID', goodAccounts(account)],
    ['Sales.Bill', 'AccountId', 'Sales.Account', bill, 'ACCOUNTID', goodAccounts(account)],
    ['Sales.BillLine', 'BillId', 'Sales.Bill', line, 'BILLID', goodBills(bill, account)],
  ];
  const out = [
    ...(await own(
      'Sales.Client',
      'Name',
      'nul',
      `SELECT ID FROM \`${client}\` WHERE LOCATE(${NUL}, NAME) > 0`,
    )),
    ...(await own(
      'Sales.Account',
      'OpenedOn',
      'date-range',
      `SELECT ID FROM \`${account}\` WHERE OPENEDON > '3000-12-31 23:59:59'`,
    )),
  ];
  for (const [entity, attribute, parent, child, column, good] of references) {
    const sql = `SELECT ID, ${column} AS P FROM \`${child}\` WHERE ${column} NOT IN (${good})`;
    for (const r of await rows(knex, sql))
      out.push({
        entity,
        key: [String(r['ID'])],
        attribute,
        rule: 'dangling-reference',
        parent: { entity: parent, key: [String(r['P'])] },
      });
  }
  return out;
}

/**
 * Ignore references whose parent is missing or rejected: kept and counted by Ferry. Notes pointing at
 * no loaded account; clients (loaded) whose main invoice is not loaded.
 */
export async function expectedKept(knex: Knex, table: TableOf): Promise<{ notes: number; clients: number }> {
  const [client, invoice, account, note] = await tablesOf(table, [
    'Sales.Client',
    'Sales.Invoice',
    'Sales.Account',
    'Sales.Note',
  ]);
  const [notes] = await rows(
    knex,
    `SELECT count(*) AS n FROM \`${note}\` WHERE ACCOUNTID NOT IN (${goodAccounts(account)})`,
  );
  const [clients] = await rows(
    knex,
    `SELECT count(*) AS n FROM \`${client}\` WHERE ID IN (${goodClients(client)})
        AND MAININVOICEID NOT IN (SELECT ID FROM \`${invoice}\` WHERE CLIENTID IN (${goodClients(client)}))`,
  );
  return { notes: Number(notes!['n']), clients: Number(clients!['n']) };
}

/** User references that users.unmatched turns into the empty GUID: Product.CreatedBy not NULL. */
export async function expectedUserReferences(knex: Knex, table: TableOf): Promise<number> {
  const [r] = await rows(
    knex,
    `SELECT count(*) AS n FROM \`${await table('Catalog.Product')}\` WHERE CREATEDBY IS NOT NULL`,
  );
  return Number(r!['n']);
}

/** Client#pass2's counts: every client read; no main invoice or rejected in pass 1: filtered. */
export async function expectedClientPass2(knex: Knex, table: TableOf): Promise<number[]> {
  const client = await table('Sales.Client');
  const [r] = await rows(
    knex,
    `SELECT count(*) AS n_read,
            sum(MAININVOICEID IS NULL OR LOCATE(${NUL}, NAME) > 0) AS n_filtered FROM \`${client}\``,
  );
  const read = Number(r!['n_read']);
  const filtered = Number(r!['n_filtered']);
  return [read, read - filtered, 0, filtered];
}

/** Per entity: source expressions (MariaDB) and target expressions (PostgreSQL), key columns first. */
const COLUMNS: Record<string, { source: string[]; target: string[]; key: number }> = {
  'Catalog.Category': {
    source: ['ID', 'NAME', 'PARENTID', 'SORTORDER'],
    target: ['id', 'name', 'parent_id', 'sort_order'],
    key: 1,
  },
  'Catalog.Product': {
    // User references without an ODC users source: the empty GUID, as users.unmatched says.
    source: [
      'ID',
      'NAME',
      'DESCRIPTION',
      'PRICE',
      'WEIGHT',
      'CATEGORYID',
      'SALESEMAIL',
      'MD5(PHOTO)',
      'CREATEDBY',
      'ISAVAILABLE',
      'LAUNCHDATE',
      'CREATEDON',
    ],
    target: [
      'id',
      'name',
      'description',
      'price',
      'weight',
      'category_id',
      'sales_email',
      'md5(photo)',
      'created_by',
      // Each side as text: 0/1, and dates with milliseconds as MariaDB's datetime(3) prints them.
      'is_available::int',
      `to_char(launch_date, 'YYYY-MM-DD HH24:MI:SS.MS')`,
      `to_char(created_on, 'YYYY-MM-DD HH24:MI:SS.MS')`,
    ],
    key: 1,
  },
  'Sales.Client': {
    source: ['ID', 'NAME', 'MAININVOICEID'],
    target: ['id', 'name', 'main_invoice_id'],
    key: 1,
  },
  'Sales.Invoice': {
    source: ['ID', 'NUMBER', 'CLIENTID', 'AMOUNT'],
    target: ['id', 'number', 'client_id', 'amount'],
    key: 1,
  },
  'Sales.Account': {
    source: ['ID', 'NAME', 'OPENEDON'],
    target: ['id', 'name', `to_char(opened_on, 'YYYY-MM-DD HH24:MI:SS.MS')`],
    key: 1,
  },
  'Sales.AccountTag': { source: ['ID', 'ACCOUNTID', 'LABEL'], target: ['id', 'account_id', 'label'], key: 1 },
  'Sales.Bill': { source: ['ID', 'ACCOUNTID', 'NUMBER'], target: ['id', 'account_id', 'number'], key: 1 },
  'Sales.BillLine': { source: ['ID', 'BILLID', 'AMOUNT'], target: ['id', 'bill_id', 'amount'], key: 1 },
  'Sales.Note': { source: ['ID', 'ACCOUNTID', 'BODY'], target: ['id', 'account_id', 'body'], key: 1 },
  'Sales.PriceRow': { source: ['CODE', 'N', 'PRICE'], target: ['code', 'n', 'price'], key: 2 },
  'Sales.Ledger': { source: ['ID', 'TITLE'], target: ['id', 'title'], key: 1 },
  'Sales.LedgerLine': {
    source: ['ID', 'LEDGERID', 'AMOUNT'],
    target: ['id', 'ledger_id', 'amount'],
    key: 1,
  },
};

/** One row as a text line; each side casts every value to text, so anything else is a test bug. */
const line = (values: readonly unknown[]): string =>
  values
    .map((v) => {
      if (v !== null && typeof v !== 'string') throw new TypeError(`not cast to text: ${typeof v}`);
      return v ?? '\\N';
    })
    .join('\t');

/** Rows as sorted text lines; a digest and the first difference for a readable failure. */
function compare(entity: string, source: string[], target: string[]): string | undefined {
  const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');
  if (source.length === target.length && digest(source) === digest(target)) return undefined;
  const at = source.findIndex((l, i) => l !== target[i]);
  return `${entity}: ${source.length} source rows, ${target.length} target rows; first difference at ${at}: ${JSON.stringify(source[at])} / ${JSON.stringify(target[at])}`;
}

/**
 * The columns of an entity's source table that hold an active attribute (every one is mapped) and
 * that no expression of `compared` reads: read from the source's own catalog, not from the mapping.
 */
async function uncompared(
  knex: Knex,
  entity: string,
  physical: string,
  compared: string[],
): Promise<string[]> {
  const name = entity.slice(entity.indexOf('.') + 1);
  const columns = await rows(
    knex,
    `SELECT c.COLUMN_NAME AS name FROM information_schema.COLUMNS c
     WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME = '${physical}'
       AND NOT EXISTS (SELECT 1 FROM OSSYS_ENTITY_ATTR a JOIN OSSYS_ENTITY e ON e.ID = a.ENTITY_ID
         WHERE e.NAME = '${name}' AND e.IS_ACTIVE = 1 AND a.IS_ACTIVE = 0 AND UPPER(a.NAME) = c.COLUMN_NAME)`,
  );
  const read = new Set(compared.flatMap((expression) => expression.match(/[A-Z_][A-Z0-9_]*/g) ?? []));
  return columns.map((c) => String(c.name)).filter((column) => !read.has(column));
}

/**
 * Every entity's target rows equal its source rows minus the expected rejects, column by column
 * (values cast to text on each side; user references as `emptyGuid` where set), every column of an
 * active attribute compared.
 */
export async function sameRows(fixture: Fixture, table: TableOf, emptyGuid: string): Promise<string[]> {
  const rejected = new Set(
    (await expectedRejects(fixture.source, table)).map((r) => `${r.entity}/${r.key.join('\t')}`),
  );
  const problems: string[] = [];
  for (const entity of ALL_SHAPES_ENTITIES) {
    const { source, target, key } = COLUMNS[entity]!;
    const missed = await uncompared(fixture.source, entity, await table(entity), source);
    if (missed.length > 0) problems.push(`${entity}: columns not compared: ${missed.join(', ')}`);
    const select = source
      .map((c) => (c === 'CREATEDBY' ? `IF(CREATEDBY IS NULL, NULL, '${emptyGuid}')` : `CAST(${c} AS CHAR)`))
      .join(', ');
    const sourceRows = (await rows(
      fixture.source,
      `SELECT ${select} FROM \`${await table(entity)}\``,
    )) as never[];
    const sourceLines = sourceRows
      .map((r) => line(Object.values(r)))
      .filter((l) => !rejected.has(`${entity}/${l.split('\t').slice(0, key).join('\t')}`))
      .sort();
    const targetTable = `${fixture.targetSchema}.${snake(entity)}`;
    const result = await fixture.target.query({
      text: `SELECT ${target.map((c) => `(${c})::text`).join(', ')} FROM ${targetTable}`,
      rowMode: 'array',
    });
    const targetLines = (result.rows as unknown[][]).map(line).sort();
    const problem = compare(entity, sourceLines, targetLines);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

const snake = (entity: string): string =>
  entity
    .slice(entity.indexOf('.') + 1)
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
