// A text-keyed parent and its child for the catch-up tests (`ferry sync`, issue 12), as an extension
// of the sample O11 database: Catalog.Brand, keyed by a Text identifier (`Id`, `BR-000001`), and Catalog.Item, whose
// mandatory Protect reference BrandCode points at it. Every brand has exactly ITEMS_PER_BRAND items
// (item j belongs to brand j mod brands), so a test can delete a brand with all its children.

import type { SampleExtension } from './o11-sample-database.js';
import type { SampleEntity } from './o11-sample-model.js';
import type { SampleCounts, SampleRow } from './o11-sample-rows.js';
import { TRICKY_TEXTS } from './o11-sample-random.js';

/** Items of each brand. */
export const ITEMS_PER_BRAND = 10;

/** Brands and items per `rowsPerEntity` of the sample: a brand per 20 products, 10 items each. */
export const brandCounts = (c: SampleCounts): { brands: number; items: number } => {
  const brands = Math.max(3, Math.floor(c.products / 20));
  return { brands, items: brands * ITEMS_PER_BRAND };
};

/** The text key of brand `i` (0-based): `BR-000001`. */
export const brandCode = (i: number): string => `BR-${String(i + 1).padStart(6, '0')}`;

const BRAND_ENTITIES: readonly SampleEntity[] = [
  {
    module: 'Catalog',
    name: 'Brand',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      { name: 'Id', type: 'rtText', length: 12, identifier: true, mandatory: true },
      { name: 'Name', type: 'rtText', length: 60, mandatory: true },
      { name: 'Founded', type: 'rtDate' },
      { name: 'Rating', type: 'rtDecimal', length: 5, decimals: 2 },
      { name: 'IsActive', type: 'rtBoolean' },
      { name: 'Logo', type: 'rtBinaryData' },
    ],
  },
  {
    module: 'Catalog',
    name: 'Item',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      { name: 'Id', type: 'rtInteger', identifier: true, autoNumber: true, mandatory: true },
      {
        name: 'BrandCode',
        type: 'rtText',
        length: 12,
        ref: 'Catalog.Brand',
        deleteRule: 'Protect',
        mandatory: true,
      },
      { name: 'Name', type: 'rtText', length: 100 },
      { name: 'Price', type: 'rtCurrency', length: 37, decimals: 8 },
      { name: 'Stock', type: 'rtInteger' },
      { name: 'Serial', type: 'rtLongInteger' },
      { name: 'CheckedAt', type: 'rtDateTime' },
      { name: 'OpensAt', type: 'rtTime' },
      { name: 'Contact', type: 'rtEmail', length: 250 },
      { name: 'Phone', type: 'rtPhoneNumber', length: 20 },
    ],
  },
];

function* brandRows(name: string, c: SampleCounts): Generator<SampleRow> {
  const { brands, items } = brandCounts(c);
  if (name === 'Catalog.Brand')
    for (let i = 0; i < brands; i++)
      yield {
        ID: brandCode(i),
        NAME: `${TRICKY_TEXTS[i % TRICKY_TEXTS.length]!} ${i + 1}`.slice(0, 60),
        FOUNDED: `${1900 + (i % 120)}-0${1 + (i % 9)}-1${i % 10} 00:00:00`,
        RATING: `${i % 100}.${String(i % 97).padStart(2, '0')}`,
        ISACTIVE: i % 3 === 0 ? 0 : 1,
        LOGO: i % 4 === 0 ? Buffer.from([i % 256, 0, 255, 7]) : Buffer.alloc(0),
      };
  if (name === 'Catalog.Item')
    for (let j = 0; j < items; j++)
      yield {
        ID: j + 1,
        BRANDCODE: brandCode(j % brands),
        NAME: `Item ${j + 1}`,
        PRICE: `${j * 13}.${String(j % 100_000_000).padStart(8, '0')}`,
        STOCK: j % 1000,
        SERIAL: (9_007_199_254_740_993n + BigInt(j)).toString(),
        CHECKEDAT: `20${String(10 + (j % 20))}-0${1 + (j % 9)}-2${j % 8} 1${j % 10}:3${j % 10}:0${j % 10}`,
        OPENSAT: `1900-01-01 0${j % 10}:1${j % 6}:00`,
        CONTACT: j % 5 === 0 ? '' : `item${j + 1}@example.com`,
        PHONE: j % 7 === 0 ? '' : `+351 21 ${String(j).padStart(7, '0')}`,
      };
}

/** Catalog.Brand (text key) and Catalog.Item (Protect reference to it). */
export const brandShape: SampleExtension = { entities: BRAND_ENTITIES, rows: brandRows };
