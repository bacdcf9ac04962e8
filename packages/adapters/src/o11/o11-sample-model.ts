// The data model of the sample O11 database: two application modules plus ServiceCenter's User, with
// the patterns that make real migrations hard (self and many-to-many references, user references, a
// static entity with a deleted record, a Long Integer key, an inactive attribute and entity).

import type { O11BasicType, O11DeleteRule } from '@ferry/mapping';

/** One attribute of the sample model. References name their target as `Module.Entity`. */
export interface SampleAttribute {
  readonly name: string;
  /** The basic type; for a reference, the target identifier's type. */
  readonly type: O11BasicType;
  readonly ref?: string;
  /**
   * The module SS_KEY written in the reference's type code instead of the target module's, as
   * OutSystems' data-migration guide shows and cloned modules produce.
   */
  readonly refModuleSsKey?: string;
  readonly length?: number;
  readonly decimals?: number;
  readonly mandatory?: boolean;
  readonly autoNumber?: boolean;
  readonly identifier?: boolean;
  readonly deleteRule?: O11DeleteRule;
  /**
   * `false` when the platform did not create the foreign key of a Protect or Delete reference (it
   * does so only where it could; data edited by hand then holds dangling ids). Default true.
   */
  readonly foreignKey?: boolean;
  /** `false` for a deleted attribute whose column still holds data. */
  readonly active?: boolean;
}

/** One entity of the sample model. `table` is filled by the builder from the module hash. */
export interface SampleEntity {
  readonly module: string;
  readonly name: string;
  readonly dataKind: 'entity' | 'staticEntity';
  readonly active: boolean;
  readonly system: boolean;
  /** Physical name when fixed by the platform (OSSYS_USER); otherwise `OSUSR_<hash>_<NAME>`. */
  readonly fixedTable?: string;
  /** `OSEVT_` prefix for a BPT event table. */
  readonly prefix?: 'OSUSR' | 'OSEVT';
  readonly attributes: readonly SampleAttribute[];
}

const id = (type: O11BasicType = 'rtInteger', autoNumber = true): SampleAttribute => ({
  name: 'Id',
  type,
  identifier: true,
  autoNumber,
  mandatory: true,
});
const text = (name: string, length: number, mandatory = false): SampleAttribute => ({
  name,
  type: 'rtText',
  length,
  mandatory,
});
const ref = (name: string, target: string, deleteRule: O11DeleteRule, type: O11BasicType = 'rtInteger') => ({
  name,
  type,
  ref: target,
  deleteRule,
});
const currency = (name: string): SampleAttribute => ({ name, type: 'rtCurrency', length: 37, decimals: 8 });

/**
 * The modules: ServiceCenter (system), two application modules, and Users (system, no entities here):
 * the user provider of every module (OSSYS_ESPACE.USER_PROVIDER_ESPACE_ID), as in a default O11.
 */
export const SAMPLE_MODULES = [
  { name: 'ServiceCenter', system: true },
  { name: 'Catalog', system: false },
  { name: 'Sales', system: false },
  { name: 'Users', system: true },
] as const;

/** OSSYS_ESPACE.ID of the Users module (ids are 1-based positions in {@link SAMPLE_MODULES}). */
export const SAMPLE_USERS_ESPACE_ID = SAMPLE_MODULES.findIndex((m) => m.name === 'Users') + 1;

/** Every entity of the sample, in an order where referenced entities come first. */
export const SAMPLE_ENTITIES: readonly SampleEntity[] = [
  {
    module: 'ServiceCenter',
    name: 'User',
    dataKind: 'entity',
    active: true,
    system: true,
    fixedTable: 'OSSYS_USER',
    attributes: [
      id(),
      { name: 'Tenant_Id', type: 'rtInteger' },
      text('Name', 256),
      text('Username', 250, true),
      text('Password', 256),
      { name: 'Email', type: 'rtEmail', length: 250 },
      { name: 'MobilePhone', type: 'rtPhoneNumber', length: 20 },
      text('External_Id', 36),
      { name: 'Creation_Date', type: 'rtDateTime' },
      { name: 'Last_Login', type: 'rtDateTime' },
      { name: 'Is_Active', type: 'rtBoolean' },
    ],
  },
  {
    module: 'Catalog',
    name: 'Category',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      id(),
      text('Name', 50, true),
      ref('ParentId', 'Catalog.Category', 'Ignore'),
      { name: 'SortOrder', type: 'rtInteger' },
    ],
  },
  {
    module: 'Catalog',
    name: 'Tag',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [id(), text('Label', 30, true)],
  },
  {
    module: 'Catalog',
    name: 'Product',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      id(),
      text('Name', 200, true),
      text('Description', 5000),
      currency('Price'),
      { name: 'Weight', type: 'rtDecimal', length: 10, decimals: 3 },
      { name: 'IsAvailable', type: 'rtBoolean' },
      { name: 'LaunchDate', type: 'rtDate' },
      { name: 'Photo', type: 'rtBinaryData' },
      ref('CategoryId', 'Catalog.Category', 'Protect'),
      ref('CreatedBy', 'ServiceCenter.User', 'Ignore'),
      { name: 'CreatedOn', type: 'rtDateTime' },
      { name: 'SalesEmail', type: 'rtEmail', length: 250 },
      { ...text('OldCode', 20), active: false },
    ],
  },
  {
    // A many-to-many without an identifier: its key is (ProductId, TagId).
    module: 'Catalog',
    name: 'ProductTag',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      { ...ref('ProductId', 'Catalog.Product', 'Delete'), mandatory: true },
      { ...ref('TagId', 'Catalog.Tag', 'Delete'), mandatory: true },
    ],
  },
  {
    module: 'Sales',
    name: 'OrderStatus',
    dataKind: 'staticEntity',
    active: true,
    system: false,
    attributes: [
      id('rtInteger', false),
      text('Label', 50, true),
      { name: 'Order', type: 'rtInteger' },
      { name: 'Is_Active', type: 'rtBoolean' },
    ],
  },
  {
    module: 'Sales',
    name: 'Order',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      id('rtLongInteger'),
      text('Number', 20, true),
      text('CustomerName', 100),
      { ...ref('StatusId', 'Sales.OrderStatus', 'Protect'), mandatory: true },
      ref('CreatedBy', 'ServiceCenter.User', 'Ignore'),
      { name: 'OrderedAt', type: 'rtDateTime' },
      { name: 'DeliveryTime', type: 'rtTime' },
      currency('Total'),
      { name: 'Phone', type: 'rtPhoneNumber', length: 20 },
      text('Notes', 2000),
    ],
  },
  {
    module: 'Sales',
    name: 'OrderLine',
    dataKind: 'entity',
    active: true,
    system: false,
    attributes: [
      id(),
      { ...ref('OrderId', 'Sales.Order', 'Delete', 'rtLongInteger'), mandatory: true },
      { ...ref('ProductId', 'Catalog.Product', 'Protect'), mandatory: true },
      { name: 'Quantity', type: 'rtInteger' },
      currency('UnitPrice'),
      { name: 'Discount', type: 'rtDecimal', length: 5, decimals: 2 },
    ],
  },
  {
    // Deleted in Service Studio: IS_ACTIVE = 0, but the table and its rows stay.
    module: 'Sales',
    name: 'LegacyInvoice',
    dataKind: 'entity',
    active: false,
    system: false,
    attributes: [id(), ref('OrderId', 'Sales.Order', 'Ignore', 'rtLongInteger'), currency('Amount')],
  },
  {
    // A BPT event table (inference: registered like an entity); it must never be migrated.
    module: 'Sales',
    name: 'OrderEvent',
    dataKind: 'entity',
    active: true,
    system: true,
    prefix: 'OSEVT',
    attributes: [
      id(),
      ref('OrderId', 'Sales.Order', 'Ignore', 'rtLongInteger'),
      { name: 'Is_Processed', type: 'rtBoolean' },
    ],
  },
];

/** The static records of OrderStatus; `Cancelled` is deleted (inactive) but rows still point at it. */
export const SAMPLE_ORDER_STATUSES = [
  { id: 1, label: 'New', active: true },
  { id: 2, label: 'Paid', active: true },
  { id: 3, label: 'Shipped', active: true },
  { id: 4, label: 'Cancelled', active: false },
] as const;

/** The first Order id: 2^53 + 1, not representable as a JS number. */
export const SAMPLE_FIRST_ORDER_ID = 9007199254740993n;
