// O11 shapes of real factories that ODC targets are strict about, as extensions of the sample O11
// database (its `extra` option), for tests: a cycle through a mandatory reference (Invoice.ClientId
// mandatory, Protect; Client.MainInvoiceId optional, Ignore), a key that is not unique, and a reference
// whose type code names another module's SS_KEY.

import type { EntitySpec } from '@ferry/mapping';
import type { SampleExtension } from './o11-sample-database.js';
import type { SampleEntity } from './o11-sample-model.js';
import type { SampleCounts, SampleRow } from './o11-sample-rows.js';

const id = { name: 'Id', type: 'rtInteger', identifier: true, autoNumber: true, mandatory: true } as const;

/** Client ⇄ Invoice: the cycle can only be broken at Client.MainInvoiceId. */
export const CYCLE_ENTITIES: readonly SampleEntity[] = [
  {
    module: 'Sales',
    name: 'Client',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      id,
      { name: 'Name', type: 'rtText', length: 50, mandatory: true },
      { name: 'MainInvoiceId', type: 'rtInteger', ref: 'Sales.Invoice', deleteRule: 'Ignore' },
    ],
  },
  {
    module: 'Sales',
    name: 'Invoice',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      id,
      { name: 'Number', type: 'rtText', length: 20, mandatory: true },
      { name: 'ClientId', type: 'rtInteger', ref: 'Sales.Client', deleteRule: 'Protect', mandatory: true },
      { name: 'Amount', type: 'rtCurrency', length: 37, decimals: 8 },
    ],
  },
];

/** Clients and invoices per `rowsPerEntity` of the sample. */
export const cycleCounts = (c: SampleCounts): { clients: number; invoices: number } => ({
  clients: c.products,
  invoices: c.products * 3,
});

function* cycleRows(name: string, c: SampleCounts): Generator<SampleRow> {
  const { clients, invoices } = cycleCounts(c);
  if (name === 'Sales.Client')
    for (let i = 1; i <= clients; i++)
      yield { ID: i, NAME: `Client ${i}`, MAININVOICEID: i % 3 === 0 ? null : ((i * 7) % invoices) + 1 };
  if (name === 'Sales.Invoice')
    for (let j = 1; j <= invoices; j++)
      yield { ID: j, NUMBER: `INV-${j}`, CLIENTID: (j % clients) + 1, AMOUNT: `${j}.25` };
}

/** Client ⇄ Invoice, `rowsPerEntity` clients and 3 invoices each. */
export const cycleShape: SampleExtension = { entities: CYCLE_ENTITIES, rows: cycleRows };

/** Rows of {@link duplicateKeyShape}: 2,503, of which one is held twice. */
export const DUPLICATE_KEY_ROWS = 2503;

/**
 * Sales.PriceRow: no identifier, no references, so the mapping keys it by hand (`["Code", "N"]`);
 * O11 keeps no primary key on it, and the source holds row (C20, 20) twice.
 */
export const duplicateKeyShape: SampleExtension = {
  entities: [
    {
      module: 'Sales',
      name: 'PriceRow',
      dataKind: 'entity',
      active: true,
      system: false,
      attributes: [
        { name: 'Code', type: 'rtText', length: 10 },
        { name: 'N', type: 'rtInteger' },
        { name: 'Price', type: 'rtCurrency', length: 37, decimals: 8 },
      ],
    },
  ],
  *rows(name) {
    if (name !== 'Sales.PriceRow') return;
    const row = (i: number): SampleRow => ({ CODE: `C${i % 50}`, N: Math.floor(i / 50), PRICE: `${i}.5` });
    for (let i = 0; i < DUPLICATE_KEY_ROWS - 1; i++) {
      yield row(i);
      if (i === 1020) yield row(i);
    }
  },
};

/** The mapping of Sales.PriceRow a user adds by hand: `generateMapping` leaves it out (no key). */
export const PRICE_ROW_MAPPING: EntitySpec = {
  source: { module: 'Sales', entity: 'PriceRow' },
  target: { app: 'Sales', entity: 'PriceRow' },
  key: ['Code', 'N'],
  attributes: {
    Code: { type: 'rtText', length: 10, mandatory: true },
    N: { type: 'rtInteger', mandatory: true },
    Price: { type: 'rtCurrency', length: 37, decimals: 8 },
  },
};

/**
 * The module SS_KEY that {@link foreignModuleKeyShape}'s reference code names: no module of the sample
 * has it, as in OutSystems' data-migration guide (the key of the module in another environment).
 */
export const FOREIGN_MODULE_SS_KEY = '0f0e0d0c-0b0a-4908-8706-050403020100';

/** First Sales.Ledger id: above 2^31, so a Long Integer that an `integer` column cannot hold. */
export const LEDGER_FIRST_ID = 3_000_000_001n;

/**
 * Sales.Ledger (Long Integer identifier) and Sales.LedgerLine, whose mandatory Protect reference
 * LedgerId has the type code `bt<FOREIGN_MODULE_SS_KEY>*<Ledger's SS_KEY>`. `rowsPerEntity` ledgers,
 * 2 lines each.
 */
export const foreignModuleKeyShape: SampleExtension = {
  entities: [
    {
      module: 'Sales',
      name: 'Ledger',
      dataKind: 'entity',
      active: true,
      system: false,
      attributes: [
        { ...id, type: 'rtLongInteger' },
        { name: 'Title', type: 'rtText', length: 50, mandatory: true },
      ],
    },
    {
      module: 'Sales',
      name: 'LedgerLine',
      dataKind: 'entity',
      active: true,
      system: false,
      attributes: [
        id,
        {
          name: 'LedgerId',
          type: 'rtLongInteger',
          ref: 'Sales.Ledger',
          refModuleSsKey: FOREIGN_MODULE_SS_KEY,
          deleteRule: 'Protect',
          mandatory: true,
        },
        { name: 'Amount', type: 'rtCurrency', length: 37, decimals: 8 },
      ],
    },
  ],
  *rows(name, c) {
    const ledger = (i: number): string => String(LEDGER_FIRST_ID + BigInt(i));
    if (name === 'Sales.Ledger')
      for (let i = 0; i < c.products; i++) yield { ID: ledger(i), TITLE: `Ledger ${i}` };
    if (name === 'Sales.LedgerLine')
      for (let j = 1; j <= c.products * 2; j++)
        yield { ID: j, LEDGERID: ledger(j % c.products), AMOUNT: `${j}.125` };
  },
};

/** Several extensions as one (entities in the order given). */
export function combineShapes(...shapes: readonly SampleExtension[]): SampleExtension {
  return {
    entities: shapes.flatMap((s) => s.entities),
    rows(name, counts) {
      const owner = shapes.find((s) => s.entities.some((e) => `${e.module}.${e.name}` === name));
      return owner === undefined ? [] : owner.rows(name, counts);
    },
  };
}
