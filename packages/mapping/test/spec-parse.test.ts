// Malformed specs: each refused with an invalid-config FerryError whose message names the exact path.
// Specs here are deliberately untyped JSON (they are meant to be wrong), hence `any`.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from 'vitest';
import { isFerryError } from '@ferry/core';
import type { MappingSpecError } from '@ferry/mapping';
import { parseMapping, type MappingSpec } from '@ferry/mapping';

function valid(): Record<string, any> {
  return {
    version: 1,
    entities: [
      {
        source: { module: 'Sales', entity: 'Customer' },
        target: { schema: 'sales', table: 'customer' },
        key: ['Id'],
        attributes: { Id: { type: 'rtLongInteger', mandatory: true }, Name: { type: 'rtText', length: 100 } },
      },
      {
        source: { module: 'Sales', entity: 'Order' },
        target: { app: 'Sales', entity: 'Order' },
        key: ['Id'],
        attributes: {
          Id: { type: 'rtLongInteger' },
          Customer: { type: 'rtLongInteger', reference: { kind: 'entity', entity: 'Sales.Customer' } },
          Price: { type: 'rtDecimal', length: 18, decimals: 2 },
        },
      },
      {
        source: { table: 'OSUSR_ABC_PRODUCT' },
        target: { table: 'product' },
        key: ['Id'],
        attributes: { Id: { type: 'rtInteger' }, Price: { type: 'rtCurrency' } },
      },
    ],
  };
}

function refused(mutate: (spec: Record<string, any>) => void): MappingSpecError {
  const spec = valid();
  mutate(spec);
  try {
    parseMapping(spec);
  } catch (error) {
    expect(isFerryError(error)).toBe(true);
    expect((error as MappingSpecError).reason).toBe('invalid-config');
    return error as MappingSpecError;
  }
  throw new Error('spec was accepted');
}

describe('parseMapping', () => {
  it('accepts a valid spec, as an object and as JSON text', () => {
    expect(parseMapping(valid()).entities).toHaveLength(3);
    expect(parseMapping(JSON.stringify(valid())).version).toBe(1);
  });

  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['wrong version', (s) => (s.version = 2), '/version: must be 1'],
    ['missing entities', (s) => delete s.entities, '/entities: is required'],
    ['unknown top-level property', (s) => (s.entitys = []), '/entitys: is not a known property'],
    [
      'precision not an integer',
      (s) => (s.entities[2].attributes.Price.precision = 'high'),
      '/entities/2/attributes/Price/precision: must be integer',
    ],
    [
      'precision too large',
      (s) => (s.entities[2].attributes.Price.precision = 5000),
      '/entities/2/attributes/Price/precision: must be <= 1000',
    ],
    [
      'unknown O11 type',
      (s) => (s.entities[0].attributes.Name.type = 'rtString'),
      '/entities/0/attributes/Name/type: must be one of "rtText"',
    ],
    [
      'misspelt attribute option',
      (s) => (s.entities[0].attributes.Name.lenght = 5),
      '/entities/0/attributes/Name/lenght: is not a known property',
    ],
    [
      'missing attribute type',
      (s) => delete s.entities[0].attributes.Name.type,
      '/entities/0/attributes/Name/type: is required',
    ],
    ['empty key', (s) => (s.entities[0].key = []), '/entities/0/key: must NOT have fewer than 1 items'],
    [
      'key not an attribute',
      (s) => (s.entities[1].key = ['OrderId']),
      '/entities/1/key/0: must name an attribute of the entity',
    ],
    [
      'unknown reference target',
      (s) => (s.entities[1].attributes.Customer.reference.entity = 'Sales.Client'),
      '/entities/1/attributes/Customer/reference/entity: must name an entity of this mapping',
    ],
    [
      'unknown reference kind',
      (s) => (s.entities[1].attributes.Customer.reference.kind = 'table'),
      '/entities/1/attributes/Customer/reference/kind: must be one of "entity", "user", "static"',
    ],
    [
      'duplicate entity names',
      (s) => (s.entities[2].source = { module: 'Sales', entity: 'Customer' }),
      '/entities/2/source: must be unique: entity name "Sales.Customer"',
    ],
    [
      'duplicate target tables',
      (s) => (s.entities[2].target = { schema: 'sales', table: 'customer' }),
      '/entities/2/target: must be unique: target table "sales.customer"',
    ],
    [
      'duplicate target columns',
      (s) => (s.entities[0].attributes.Name.target = 'id'),
      '/entities/0/attributes/Name/target: must be unique: "id"',
    ],
    [
      'source with both forms',
      (s) => (s.entities[0].source.table = 'OSUSR_X'),
      '/entities/0/source: must be { module, entity } or { table, schema? }',
    ],
    [
      'bad time zone',
      (s) => (s.defaults = { timeZone: 'Mars/Olympus' }),
      '/defaults/timeZone: must be an IANA time zone',
    ],
    [
      'decimals > length',
      (s) => (s.entities[1].attributes.Price.decimals = 8) && (s.entities[1].attributes.Price.length = 5),
      '/entities/1/attributes/Price/decimals: must be <= length (5)',
    ],
    [
      'bad rounding',
      (s) => (s.entities[1].rounding = 'nearest'),
      '/entities/1/rounding: must be one of "reject", "half-even"',
    ],
    [
      'reference on a decimal',
      (s) => (s.entities[1].attributes.Price.reference = { kind: 'user' }),
      '/entities/1/attributes/Price/type: must be "rtInteger", "rtLongInteger" or "rtText" for a reference',
    ],
    [
      'remap a preserved entity',
      (s) => (s.entities[1].attributes.Customer.reference.ids = 'remap'),
      '/entities/1/attributes/Customer/reference/ids: must be "keep"',
    ],
    [
      'filter on unknown attribute',
      (s) => (s.entities[0].filter = { all: [{ attribute: 'Nme', op: 'eq', value: 'x' }] }),
      '/entities/0/filter/all/0/attribute: must name an attribute',
    ],
    [
      'filter with bad op',
      (s) => (s.entities[0].filter = { attribute: 'Name', op: 'like', value: 'x' }),
      '/entities/0/filter/op: must be one of',
    ],
    [
      'compute in JSON',
      (s) => (s.entities[0].attributes.Name.compute = 'Name + 1'),
      '/entities/0/attributes/Name/compute: must be a function',
    ],
    [
      'remap composite key',
      (s) => {
        s.entities[0].identity = 'remap';
        s.entities[0].key = ['Id', 'Name'];
      },
      '/entities/0/identity: must be "preserve" for a composite key',
    ],
    ['excluded key', (s) => (s.entities[0].exclude = ['Id']), '/entities/0/key/0: must not be excluded'],
  ])('%s', (_name, mutate, expected) => {
    const error = refused(mutate);
    expect(error.message).toContain(expected);
    expect(error.issues.map((i) => `${i.path}: ${i.message}`).some((line) => line.startsWith(expected))).toBe(
      true,
    );
  });

  it('lists every error at once', () => {
    const error = refused((s) => {
      s.entities[0].attributes.Name.length = 0;
      s.entities[1].attributes.Price.scale = -1;
      s.entities[2].key = 'Id';
    });
    expect(error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        '/entities/0/attributes/Name/length',
        '/entities/1/attributes/Price/scale',
        '/entities/2/key',
      ]),
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseMapping('{ "version": 1, ')).toThrow(/must be valid JSON/);
  });

  it('accepts TS functions for compute and filterFn', () => {
    const spec = valid();
    spec.entities[0].attributes.Name.compute = () => 'x';
    spec.entities[0].filterFn = () => true;
    const parsed: MappingSpec = parseMapping(spec);
    expect(typeof parsed.entities[0]!.filterFn).toBe('function');
  });
});
