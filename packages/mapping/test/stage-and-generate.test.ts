// Row validation in the mapping stage (rejects name entity, key, attribute and rule, never values),
// empty defaults, filters, and generateMapping from an O11 catalog.
import { describe, expect, it } from 'vitest';
import {
  compileMapping,
  generateMapping,
  parseMapping,
  planFromMapping,
  staticMapsFromCatalog,
  UserMap,
  targetTablesFromMapping,
  type MappingSpec,
  type O11Attribute,
  type O11Catalog,
  type O11Entity,
} from '@ferry/mapping';
import { runStage } from './helpers.js';

const product: MappingSpec = {
  version: 1,
  entities: [
    {
      source: { module: 'Shop', entity: 'Product' },
      target: { app: 'Shop', entity: 'Product' },
      key: ['Id'],
      attributes: {
        Id: { type: 'rtLongInteger', mandatory: true },
        Name: { type: 'rtText', length: 5, mandatory: true },
        Price: { type: 'rtDecimal', length: 6, decimals: 2 },
        Released: { type: 'rtDate' },
        Photo: { type: 'rtBinaryData', maxBinaryBytes: 4 },
        Region: { type: 'rtText', constant: 'EU' },
        Upper: { type: 'rtText', length: 10, compute: (row) => String(row['NAME']).toUpperCase() },
        Secret: { type: 'rtText', exclude: true },
      },
    },
  ],
};

describe('row validation', () => {
  const compiled = compileMapping(product).entity('Shop.Product');
  const good = {
    ID: 1n,
    NAME: 'Mug',
    PRICE: '9.99',
    RELEASED: '2020-01-02 00:00:00',
    PHOTO: Buffer.alloc(0),
    SECRET: 'x',
  };

  it('maps a good row to target column names', async () => {
    const [batch] = await runStage(compiled, {}, [good]);
    expect(batch!.rows).toEqual([
      {
        id: '1',
        name: 'Mug',
        price: '9.99',
        released: '2020-01-02',
        photo: Buffer.alloc(0),
        region: 'EU',
        upper: 'MUG',
      },
    ]);
    expect(batch!.rowsRead).toBe(1);
    expect(compiled.table).toMatchObject({ schema: 'shop', table: 'product', key: ['id'] });
  });

  it.each([
    ['empty text on a mandatory attribute (kept: O11 default)', { NAME: '' }, 'Name', '', false],
    ['mandatory null', { NAME: null }, 'Name', 'mandatory', true],
    ['length', { NAME: 'Teapots' }, 'Name', 'max-length', true],
    ['precision', { PRICE: '12345.6' }, 'Price', 'precision', true],
    ['scale', { PRICE: '1.234' }, 'Price', 'scale', true],
    ['date range', { RELEASED: '3001-01-01' }, 'Released', 'date-range', true],
    ['binary size', { PHOTO: Buffer.alloc(5) }, 'Photo', 'binary-size', true],
  ])('%s → reject', async (_name, change, attribute, rule, rejected) => {
    const [batch] = await runStage(compiled, {}, [
      { ...good, ...change },
      { ...good, ID: 2n },
    ]);
    if (!rejected) return expect(batch!.rejects).toBeUndefined();
    expect(batch!.rows.map((r) => r['id'])).toEqual(['2']);
    expect(batch!.rejects).toEqual([
      { entity: 'Shop.Product', key: ['1'], attribute, rule, message: expect.any(String) },
    ]);
    const message = batch!.rejects![0]!.message;
    for (const value of Object.values(change))
      if (typeof value === 'string' && value !== '') expect(message).not.toContain(value);
  });

  it('keeps the batch position and counts', async () => {
    const batches = await runStage(compiled, {}, [good], [{ ...good, NAME: null }]);
    expect(batches.map((b) => [b.position, b.rowsRead, b.rows.length, b.rejects?.length ?? 0])).toEqual([
      [{ key: ['1'] }, 1, 1, 0],
      [{ key: ['2'] }, 1, 0, 1],
    ]);
  });
});

describe('O11 empty defaults', () => {
  const spec = (emptyDefaults: 'keep' | 'null'): MappingSpec => ({
    version: 1,
    defaults: { emptyDefaults },
    entities: [
      {
        source: { table: 'P' },
        target: { table: 'p' },
        key: ['Id'],
        attributes: { Id: { type: 'rtInteger' } },
      },
      {
        source: { table: 'T' },
        target: { table: 't' },
        key: ['Id'],
        attributes: {
          Id: { type: 'rtInteger' },
          Text: { type: 'rtText' },
          Day: { type: 'rtDate' },
          At: { type: 'rtDateTime' },
          Count: { type: 'rtInteger' },
          Flag: { type: 'rtBoolean' },
          Ref: { type: 'rtInteger', reference: { kind: 'entity', entity: 'P' } },
        },
      },
    ],
  });
  const row = {
    ID: 1,
    TEXT: '',
    DAY: '1900-01-01 00:00:00',
    AT: '1900-01-01 00:00:00',
    COUNT: 0,
    FLAG: 0,
    REF: 0,
  };

  it('keeps them by default (Migration Kit behaviour)', async () => {
    const [batch] = await runStage(compileMapping(spec('keep')).entity('T'), {}, [row]);
    expect(batch!.rows[0]).toEqual({
      id: 1,
      text: '',
      day: '1900-01-01',
      at: '1900-01-01T00:00:00Z',
      count: 0,
      flag: false,
      ref: 0,
    });
  });

  it('turns them into NULL on request, but never 0 numbers or false', async () => {
    const [batch] = await runStage(compileMapping(spec('null')).entity('T'), {}, [row]);
    expect(batch!.rows[0]).toEqual({
      id: 1,
      text: null,
      day: null,
      at: null,
      count: 0,
      flag: false,
      ref: null,
    });
  });
});

describe('row filters', () => {
  it('applies declarative and function filters and counts filtered rows', async () => {
    const spec = parseMapping({
      version: 1,
      entities: [
        {
          source: { table: 'ORDERS' },
          target: { table: 'orders' },
          key: ['Id'],
          filter: {
            all: [
              { attribute: 'Total', op: 'ge', value: '100.5' },
              { not: { attribute: 'Status', op: 'in', values: ['X'] } },
            ],
          },
          attributes: {
            Id: { type: 'rtLongInteger' },
            Total: { type: 'rtCurrency' },
            Status: { type: 'rtText' },
          },
        },
      ],
    });
    const withFn: MappingSpec = {
      ...spec,
      entities: [{ ...spec.entities[0]!, filterFn: (row) => row['ID'] !== 4n }],
    };
    const rows = [
      { ID: 1n, TOTAL: '100.50', STATUS: 'A' },
      { ID: 2n, TOTAL: '100.49999999', STATUS: 'A' },
      { ID: 3n, TOTAL: '99999999999999999999999999999.5', STATUS: 'X' },
      { ID: 4n, TOTAL: '1000', STATUS: 'A' },
    ];
    const [batch] = await runStage(compileMapping(withFn).entity('ORDERS'), {}, rows);
    expect(batch!.rows.map((r) => r['id'])).toEqual(['1']);
    expect(batch!.rowsFiltered).toBe(3);
  });
});

function attr(name: string, type: O11Attribute['type'], extra: Partial<O11Attribute> = {}): O11Attribute {
  return {
    name,
    column: name.toUpperCase(),
    ssKey: name,
    typeCode: type,
    type,
    isMandatory: false,
    isAutoNumber: false,
    isIdentifier: false,
    isActive: true,
    ...extra,
  };
}
function ent(
  module: string,
  name: string,
  attributes: O11Attribute[],
  extra: Partial<O11Entity> = {},
): O11Entity {
  return {
    id: name,
    name,
    qualifiedName: `${module}.${name}`,
    module,
    moduleSsKey: module,
    ssKey: name,
    physicalTable: `OSUSR_ABC_${name.toUpperCase()}`,
    dataKind: 'entity',
    isActive: true,
    isSystem: false,
    identifier: 'Id',
    attributes,
    ...extra,
  };
}
function withoutIdentifier(entity: O11Entity): O11Entity {
  const { identifier: _identifier, ...rest } = entity;
  return rest;
}
const id = attr('Id', 'rtLongInteger', { isIdentifier: true, isAutoNumber: true, isMandatory: true });

const catalog: O11Catalog = {
  modules: [{ id: '1', name: 'Sales', ssKey: 'S', isActive: true, isSystem: false }],
  entities: [
    ent('Sales', 'Customer', [
      id,
      attr('FullName', 'rtText', { length: 200, isMandatory: true }),
      attr('Email', 'rtEmail'),
      attr('OldCol', 'rtText', { isActive: false }),
      attr('Owner', 'rtInteger', { reference: { kind: 'user', moduleSsKey: 'SC', entitySsKey: 'U' } }),
    ]),
    ent('Sales', 'OrderLine', [
      id,
      attr('Price', 'rtDecimal', { length: 18, decimals: 4 }),
      attr('Amount', 'rtCurrency'),
      attr('Note', 'rtText', { length: 5000 }),
      attr('Customer', 'rtLongInteger', {
        reference: { kind: 'entity', moduleSsKey: 'S', entitySsKey: 'Customer', target: 'Sales.Customer' },
      }),
      attr('Status', 'rtInteger', {
        reference: { kind: 'entity', moduleSsKey: 'S', entitySsKey: 'Status', target: 'Sales.Status' },
      }),
      attr('Parent', 'rtLongInteger', {
        reference: { kind: 'entity', moduleSsKey: 'S', entitySsKey: 'OrderLine', target: 'Sales.OrderLine' },
      }),
    ]),
    ent('Sales', 'Status', [attr('Id', 'rtInteger', { isIdentifier: true })], {
      dataKind: 'staticEntity',
      staticRecords: [],
    }),
    ent('Sales', 'Deleted', [id], { isActive: false }),
    ent('Sales', 'Event', [id], { physicalTable: 'OSEVT_ABC_EVENT' }),
    ent('Other', 'Thing', [id]),
  ],
};

describe('generateMapping', () => {
  const mapping = generateMapping(catalog, { modules: ['Sales'] });

  it('maps active entities of the chosen modules, skipping static, deleted and OSEVT_ entities', () => {
    expect(mapping.entities.map((e) => e.name)).toEqual(['Sales.Customer', 'Sales.OrderLine']);
    expect(Object.keys(mapping.entities[0]!.attributes)).toEqual(['Id', 'FullName', 'Email', 'Owner']);
  });

  it('is a valid spec that survives JSON and yields the DOMAIN target types', () => {
    const parsed = parseMapping(JSON.stringify(mapping));
    const tables = targetTablesFromMapping(parsed);
    expect(tables.get('Sales.Customer')).toEqual({
      schema: 'sales',
      table: 'customer',
      key: ['id'],
      columns: [
        { name: 'id', type: 'bigint', nullable: false },
        { name: 'full_name', type: 'varchar', length: 200, nullable: false },
        { name: 'email', type: 'varchar', length: 250, nullable: true },
        { name: 'owner', type: 'uuid', nullable: true },
      ],
    });
    expect(
      tables
        .get('Sales.OrderLine')!
        .columns.map((c) => [c.name, c.type, c.precision ?? c.length, c.scale, c.nullable]),
    ).toEqual([
      ['id', 'bigint', undefined, undefined, false],
      ['price', 'numeric', 18, 4, true],
      ['amount', 'numeric', 37, 8, true],
      ['note', 'text', undefined, undefined, true],
      ['customer', 'bigint', undefined, undefined, true],
      ['status', 'integer', undefined, undefined, true],
      ['parent', 'bigint', undefined, undefined, true],
    ]);
  });

  it('turns references into entity, user and static references, with a pass 2 for the self reference', () => {
    const line = mapping.entities[1]!.attributes;
    expect(line['Customer']!.reference).toEqual({ kind: 'entity', entity: 'Sales.Customer' });
    expect(line['Status']!.reference).toEqual({ kind: 'static', entity: 'Sales.Status', by: 'id' });
    expect(mapping.entities[0]!.attributes['Owner']!.reference).toEqual({ kind: 'user' });
    const runtime = { users: UserMap.build([], []), statics: staticMapsFromCatalog(catalog) };
    const plan = planFromMapping(mapping, {
      source: () => ({}) as never,
      sink: () => ({}) as never,
      runtime,
    });
    expect(plan.entities.map((p) => [p.entity, p.dependsOn])).toEqual([
      ['Sales.Customer', []],
      ['Sales.OrderLine', ['Sales.Customer']],
      ['Sales.OrderLine#pass2', ['Sales.OrderLine']],
    ]);
  });

  it('names targets as-is on request and warns about unmapped references', () => {
    const warnings: string[] = [];
    const asIs = generateMapping(catalog, {
      modules: ['Other', 'Sales'],
      naming: 'as-is',
      includeInactive: true,
      onWarning: (m) => warnings.push(m),
    });
    expect(asIs.entities.map((e) => e.target)).toContainEqual({ schema: 'Sales', table: 'OrderLine' });
    expect(asIs.entities.map((e) => e.name)).toContain('Sales.Deleted');
    expect(warnings).toEqual([]);
  });

  it('regression: keys an entity without identifier (many-to-many) by its references, and warns', () => {
    const ref = (name: string, target: string) =>
      attr(name, 'rtLongInteger', {
        isMandatory: true,
        reference: { kind: 'entity', moduleSsKey: 'S', entitySsKey: target, target: `Sales.${target}` },
      });
    const linkCatalog: O11Catalog = {
      ...catalog,
      entities: [
        ...catalog.entities,
        withoutIdentifier(
          ent('Sales', 'CustomerLine', [ref('CustomerId', 'Customer'), ref('LineId', 'OrderLine')]),
        ),
        withoutIdentifier(ent('Sales', 'Loose', [attr('Note', 'rtText')])),
      ],
    };
    const warnings: string[] = [];
    const spec = generateMapping(linkCatalog, { modules: ['Sales'], onWarning: (m) => warnings.push(m) });
    const link = spec.entities.find((e) => e.name === 'Sales.CustomerLine');
    expect(link?.key).toEqual(['CustomerId', 'LineId']);
    expect(spec.entities.some((e) => e.name === 'Sales.Loose')).toBe(false);
    expect(warnings).toEqual([
      'Sales.CustomerLine has no identifier: keyed by CustomerId, LineId, which must be unique',
      'Sales.Loose has no identifier and no reference attribute: left out (give it a key by hand)',
    ]);
    expect(
      targetTablesFromMapping(parseMapping(JSON.stringify(spec))).get('Sales.CustomerLine')?.key,
    ).toEqual(['customer_id', 'line_id']);
  });

  it('a mandatory static reference stays mandatory in the generated mapping (issue 13: ODC has it NOT NULL)', () => {
    const mandatoryRefs: O11Catalog = {
      ...catalog,
      entities: catalog.entities.map((e) =>
        e.name !== 'OrderLine'
          ? e
          : {
              ...e,
              attributes: e.attributes.map((a) =>
                a.name === 'Status' || a.name === 'Customer' ? { ...a, isMandatory: true } : a,
              ),
            },
      ),
    };
    const line = generateMapping(mandatoryRefs, { modules: ['Sales'] }).entities[1]!.attributes;
    expect(line['Status']!.mandatory).toBe(true);
    expect(line['Customer']!.mandatory).toBe(true);
  });
});
