// Row generators of the sample O11 database, one per entity, deterministic per seed. Rows hold O11's
// own values: no NULL except references, '' / 0 / 1900-01-01 for empty, decimals and Long Integers
// as strings, binary as Buffers (10% of products carry a ~1 KB photo).

import { O11_NULL_DATE } from './o11-sample-schema.js';
import { SAMPLE_FIRST_ORDER_ID, SAMPLE_ORDER_STATUSES } from './o11-sample-model.js';
import { seededRandom } from '../shared/seeded-random.js';
import { pick, randomDateTime, randomDecimal, TRICKY_TEXTS } from './o11-sample-random.js';

/** A sample row: physical column to value. */
export type SampleRow = Record<string, string | number | Buffer | null>;

/** How many rows each entity gets for a given `rowsPerEntity`. */
export interface SampleCounts {
  readonly users: number;
  readonly categories: number;
  readonly tags: number;
  readonly products: number;
  readonly orders: number;
  readonly small: number;
}

/** Row counts derived from `rowsPerEntity` (Product and Order get exactly that many). */
export function sampleCounts(rowsPerEntity: number): SampleCounts {
  const n = Math.max(1, Math.floor(rowsPerEntity));
  return {
    users: Math.max(3, Math.ceil(n / 25)),
    categories: Math.max(3, Math.ceil(n / 20)),
    tags: Math.max(3, Math.min(n, 25)),
    products: n,
    orders: n,
    small: Math.min(n, 10),
  };
}

/** Currency extremes of decimal(37,8). */
export const CURRENCY_MAX = '99999999999999999999999999999.99999999';
const EXTREME_CURRENCY = [CURRENCY_MAX, `-${CURRENCY_MAX}`, '0.00000001'];
/** The O11 date limits. */
export const DATE_LIMITS = [O11_NULL_DATE, '3000-12-31 23:59:59'];

const tricky = (i: number): string => TRICKY_TEXTS[i % TRICKY_TEXTS.length]!;
const currency = (random: () => number, i: number): string =>
  EXTREME_CURRENCY[i] ?? randomDecimal(random, 9, 8);
const dateTime = (random: () => number, i: number): string => DATE_LIMITS[i] ?? randomDateTime(random);
const flag = (random: () => number): number => (random() < 0.5 ? 1 : 0);
const maybeUser = (random: () => number, c: SampleCounts): number | null =>
  random() < 0.1 ? null : pick(random, 1, c.users);

function* users(random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.users; i++) {
    yield {
      ID: i + 1,
      TENANT_ID: 1,
      NAME: `${tricky(i)} ${i + 1}`,
      USERNAME: `user${i + 1}`,
      // A fake hash; discovery and sources must never read this column.
      PASSWORD: `pbkdf2$${Math.floor(random() * 1e12).toString(16)}`,
      EMAIL: `user${i + 1}@example.com`,
      MOBILEPHONE: '',
      EXTERNAL_ID: '',
      CREATION_DATE: randomDateTime(random),
      LAST_LOGIN: i % 3 === 0 ? O11_NULL_DATE : randomDateTime(random),
      IS_ACTIVE: i === 2 ? 0 : 1,
    };
  }
}

function* categories(random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.categories; i++) {
    // Roots first; later parents point backwards or forwards (a self reference needs two passes).
    const parent = i < 2 ? null : pick(random, 1, c.categories);
    yield {
      ID: i + 1,
      NAME: `Category ${i + 1} ${tricky(i)}`.slice(0, 50),
      PARENTID: parent === i + 1 ? 1 : parent,
      SORTORDER: i,
    };
  }
}

function* tags(_random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.tags; i++) yield { ID: i + 1, LABEL: `${tricky(i + 3)} #${i + 1}`.slice(0, 30) };
}

function* products(random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.products; i++) {
    const photo =
      random() < 0.1
        ? Buffer.from(Array.from({ length: 1024 }, () => pick(random, 0, 255)))
        : Buffer.alloc(0);
    yield {
      ID: i + 1,
      NAME: `Product ${i + 1} ${tricky(i)}`,
      DESCRIPTION: i % 50 === 0 ? `${tricky(i)} `.repeat(200) : i % 3 === 0 ? '' : `About product ${i + 1}`,
      PRICE: currency(random, i),
      WEIGHT: randomDecimal(random, 7, 3).replace('-', ''),
      ISAVAILABLE: flag(random),
      LAUNCHDATE:
        i < 2
          ? i === 0
            ? O11_NULL_DATE
            : '3000-12-31 00:00:00'
          : `${randomDateTime(random).slice(0, 10)} 00:00:00`,
      PHOTO: photo,
      CATEGORYID: pick(random, 1, c.categories),
      CREATEDBY: maybeUser(random, c),
      CREATEDON: dateTime(random, i),
      SALESEMAIL: i % 4 === 0 ? '' : `sales${i + 1}@example.com`,
      OLDCODE: `OLD-${i + 1}`,
    };
  }
}

function* productTags(_random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.products; i++) {
    for (let k = 0; k < i % 4 && k < c.tags; k++)
      yield { PRODUCTID: i + 1, TAGID: ((i * 7 + k) % c.tags) + 1 };
  }
}

function* orderStatuses(): Generator<SampleRow> {
  for (const status of SAMPLE_ORDER_STATUSES) {
    yield { ID: status.id, LABEL: status.label, ORDER: status.id, IS_ACTIVE: 1 };
  }
}

const orderId = (i: number): string => (SAMPLE_FIRST_ORDER_ID + BigInt(i)).toString();

function* orders(random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.orders; i++) {
    yield {
      ID: orderId(i),
      NUMBER: `SO-${i + 1}`,
      CUSTOMERNAME: i % 5 === 4 ? '' : `${tricky(i + 1)} customer`,
      // Every 7th order points at the deleted (inactive) Cancelled record.
      STATUSID: i % 7 === 3 ? 4 : 1 + (i % 3),
      CREATEDBY: maybeUser(random, c),
      ORDEREDAT: dateTime(random, i),
      DELIVERYTIME: `1900-01-01 ${randomDateTime(random).slice(11)}`,
      TOTAL: currency(random, i),
      PHONE: i % 2 === 0 ? '' : `+351 21 ${pick(random, 1000000, 9999999)}`,
      NOTES: i % 10 === 0 ? tricky(i) : '',
    };
  }
}

function* orderLines(random: () => number, c: SampleCounts): Generator<SampleRow> {
  let id = 0;
  for (let i = 0; i < c.orders; i++) {
    for (let k = 0; k <= i % 3; k++) {
      id += 1;
      yield {
        ID: id,
        ORDERID: orderId(i),
        PRODUCTID: pick(random, 1, c.products),
        QUANTITY: pick(random, 1, 20),
        UNITPRICE: randomDecimal(random, 6, 8).replace('-', ''),
        DISCOUNT: randomDecimal(random, 2, 2).replace('-', ''),
      };
    }
  }
}

function* legacyInvoices(random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.small; i++)
    yield { ID: i + 1, ORDERID: orderId(i), AMOUNT: randomDecimal(random, 6, 8) };
}

function* orderEvents(random: () => number, c: SampleCounts): Generator<SampleRow> {
  for (let i = 0; i < c.small; i++) yield { ID: i + 1, ORDERID: orderId(i), IS_PROCESSED: flag(random) };
}

const GENERATORS: Readonly<Record<string, (random: () => number, c: SampleCounts) => Generator<SampleRow>>> =
  {
    'ServiceCenter.User': users,
    'Catalog.Category': categories,
    'Catalog.Tag': tags,
    'Catalog.Product': products,
    'Catalog.ProductTag': productTags,
    'Sales.OrderStatus': orderStatuses,
    'Sales.Order': orders,
    'Sales.OrderLine': orderLines,
    'Sales.LegacyInvoice': legacyInvoices,
    'Sales.OrderEvent': orderEvents,
  };

/** The rows of one entity (`Module.Entity`), generated lazily from its own seeded stream. */
export function sampleRows(qualifiedName: string, seed: number, counts: SampleCounts): Generator<SampleRow> {
  const generator = GENERATORS[qualifiedName];
  if (generator === undefined) throw new RangeError(`no sample rows for ${qualifiedName}`);
  let entitySeed = seed;
  for (const char of qualifiedName) entitySeed = (Math.imul(entitySeed, 31) + char.charCodeAt(0)) >>> 0;
  return generator(seededRandom(entitySeed), counts);
}
