// References: self and cyclic references (two passes), many-to-many, ids remapped through three levels,
// deleted static records.
import { describe, expect, it } from 'vitest';
import type { Row, Sink, Source } from '@ferry/core';
import {
  MappingStats,
  StaticRecordMap,
  compileMapping,
  pass2Name,
  planFromMapping,
  targetTablesFromMapping,
  type AttributeSpec,
  type EntitySpec,
  type MappingSpec,
} from '@ferry/mapping';
import { MemoryIdMap, runStage } from './helpers.js';

function entity(
  name: string,
  refs: Record<string, string>,
  identity: 'preserve' | 'remap' = 'preserve',
): EntitySpec {
  const attributes: Record<string, AttributeSpec> = {
    Id: { type: 'rtLongInteger', mandatory: true, autoNumber: true },
    Name: { type: 'rtText', length: 50 },
  };
  for (const [attr, target] of Object.entries(refs))
    attributes[attr] = { type: 'rtLongInteger', reference: { kind: 'entity', entity: `M.${target}` } };
  return {
    source: { module: 'M', entity: name },
    target: { app: 'M', entity: name },
    key: ['Id'],
    identity,
    attributes,
  };
}

const fakeSource = {
  name: 'fake',
  read: () => ({ async *[Symbol.asyncIterator]() {} }),
} as unknown as Source;
const fakeSink = { name: 'fake', write: async () => {}, close: async () => {} } as unknown as Sink;

describe('self reference: a category tree', () => {
  const spec: MappingSpec = { version: 1, entities: [entity('Category', { Parent: 'Category' })] };
  const compiled = compileMapping(spec);
  const category = compiled.entity('M.Category');
  const rows: Row[] = [
    { ID: 1n, NAME: 'root', PARENT: null },
    { ID: 2n, NAME: 'child', PARENT: 1n },
    { ID: 3n, NAME: 'grandchild', PARENT: 2n },
  ];

  it('detects the cycle and defers the reference', () => {
    expect(compiled.graph.cycles).toEqual([['M.Category']]);
    expect(category.deferred.map((a) => a.name)).toEqual(['Parent']);
    expect(
      targetTablesFromMapping(spec)
        .get('M.Category')!
        .columns.find((c) => c.name === 'parent')!.nullable,
    ).toBe(true);
  });

  it('loads NULL in pass 1 and sets the parents in pass 2', async () => {
    const [pass1] = await runStage(category, { pass: 1 }, rows);
    expect(pass1!.rows).toEqual([
      { id: '1', name: 'root', parent: null },
      { id: '2', name: 'child', parent: null },
      { id: '3', name: 'grandchild', parent: null },
    ]);
    const [pass2] = await runStage(category, { pass: 2 }, rows);
    expect(pass2!.rows).toEqual([
      { id: '2', parent: '1' },
      { id: '3', parent: '2' },
    ]);
    expect(pass2!.rowsFiltered).toBe(1); // the root has nothing to update
    expect(category.sourceColumnsPass2).toEqual(['ID', 'PARENT']);
  });

  it('plans a pass-2 pipeline after the entity', () => {
    const plan = planFromMapping(compiled, { source: () => fakeSource, sink: () => fakeSink });
    expect(plan.entities.map((p) => [p.entity, p.dependsOn, p.pass])).toEqual([
      ['M.Category', [], undefined],
      [pass2Name('M.Category'), ['M.Category'], 2],
    ]);
  });
});

describe('a three-entity cycle', () => {
  const spec: MappingSpec = {
    version: 1,
    entities: [
      entity('A', { B: 'B' }),
      entity('B', { C: 'C' }),
      entity('C', { A: 'A' }),
      entity('D', { A: 'A' }),
    ],
  };
  const compiled = compileMapping(spec);

  it('finds the cycle with Tarjan and defers only one reference of it', () => {
    expect(compiled.graph.cycles).toEqual([['M.A', 'M.B', 'M.C']]);
    expect(compiled.entity('M.D').deferred).toEqual([]);
    expect(compiled.entity('M.D').dependsOn).toEqual(['M.A']);
    expect(compiled.entity('M.A').deferred.map((a) => a.name)).toEqual(['B']);
    expect(compiled.entity('M.A').dependsOn).toEqual([]);
    expect(compiled.entity('M.B').dependsOn).toEqual(['M.C']);
    expect(compiled.entity('M.C').dependsOn).toEqual(['M.A']);
  });

  it('plans pass 2 of the deferring member after the whole cycle', () => {
    const plan = planFromMapping(compiled, { source: () => fakeSource, sink: () => fakeSink });
    const pass2 = plan.entities.filter((p) => p.pass === 2);
    expect(pass2.map((p) => p.entity)).toEqual(['M.A#pass2']);
    expect(pass2[0]!.dependsOn).toEqual(['M.A', 'M.B', 'M.C']);
  });
});

// Issue 13, case 1: Invoice.ClientId is mandatory (Protect), Client.MainInvoiceId optional (Ignore).
describe('a mandatory reference inside a cycle', () => {
  const mandatory = (spec: EntitySpec, attribute: string): EntitySpec => ({
    ...spec,
    attributes: { ...spec.attributes, [attribute]: { ...spec.attributes[attribute]!, mandatory: true } },
  });
  const spec: MappingSpec = {
    version: 1,
    entities: [
      entity('Client', { MainInvoiceId: 'Invoice' }),
      mandatory(entity('Invoice', { ClientId: 'Client' }), 'ClientId'),
    ],
  };
  const compiled = compileMapping(spec);

  it('breaks the cycle at the optional reference and writes the mandatory one in pass 1', () => {
    expect(compiled.entity('M.Invoice').deferred).toEqual([]);
    expect(compiled.entity('M.Invoice').dependsOn).toEqual(['M.Client']);
    expect(compiled.entity('M.Client').deferred.map((a) => a.name)).toEqual(['MainInvoiceId']);
    expect(compiled.entity('M.Client').dependsOn).toEqual([]);
    const column = targetTablesFromMapping(spec)
      .get('M.Invoice')!
      .columns.find((c) => c.name === 'client_id')!;
    expect(column.nullable).toBe(false);
  });

  it('refuses a cycle made only of mandatory references, naming it', () => {
    const both: MappingSpec = {
      ...spec,
      entities: [mandatory(spec.entities[0]!, 'MainInvoiceId'), spec.entities[1]!],
    };
    expect(() => compileMapping(both)).toThrow(
      /mandatory references M\.Client\.MainInvoiceId → M\.Invoice, M\.Invoice\.ClientId → M\.Client form a cycle.*"mandatory": false/,
    );
    const self: MappingSpec = {
      version: 1,
      entities: [mandatory(entity('Node', { Parent: 'Node' }), 'Parent')],
    };
    expect(() => compileMapping(self)).toThrow(/M\.Node\.Parent → M\.Node form a cycle/);
  });
});

describe('remapped ids', () => {
  // Country ← Region ← City ← Address, each with identity remap: the target assigns new ids.
  const spec: MappingSpec = {
    version: 1,
    entities: [
      entity('Country', {}, 'remap'),
      entity('Region', { Country: 'Country' }, 'remap'),
      entity('City', { Region: 'Region' }, 'remap'),
      entity('Address', { City: 'City' }, 'remap'),
    ],
  };
  const compiled = compileMapping(spec);

  /** A sink that assigns new ids (offset per entity) and records them, as a target with identity would. */
  async function load(
    name: string,
    rows: Row[],
    idMap: MemoryIdMap,
    offset: number,
    store: Map<string, Row[]>,
  ) {
    const [batch] = await runStage(compiled.entity(name), { idMap }, rows);
    const pairs = batch!.rows.map((_, i) => [batch!.keys![i]![0]!, String(offset + i)] as const);
    await idMap.put(name, pairs);
    store.set(
      name,
      batch!.rows.map((row, i) => ({ ...row, id: String(offset + i) })),
    );
    return batch!;
  }

  it('follows every reference through three levels to the same logical rows', async () => {
    const idMap = new MemoryIdMap();
    const store = new Map<string, Row[]>();
    const countries = [
      { ID: 7n, NAME: 'PT' },
      { ID: 9n, NAME: 'NL' },
    ];
    const regions = [
      { ID: 70n, NAME: 'Lisboa', COUNTRY: 7n },
      { ID: 90n, NAME: 'Holland', COUNTRY: 9n },
    ];
    const cities = [
      { ID: 700n, NAME: 'Sintra', REGION: 70n },
      { ID: 900n, NAME: 'Leiden', REGION: 90n },
    ];
    const addresses = [
      { ID: 1n, NAME: 'a', CITY: 700n },
      { ID: 2n, NAME: 'b', CITY: 900n },
      { ID: 3n, NAME: 'c', CITY: 900n },
    ];
    await load('M.Country', countries, idMap, 100, store);
    await load('M.Region', regions, idMap, 200, store);
    await load('M.City', cities, idMap, 300, store);
    await load('M.Address', addresses, idMap, 400, store);
    const byId = (name: string, id: unknown) => store.get(name)!.find((r) => r['id'] === id)!;
    const countryOf = (address: Row) =>
      byId('M.Country', byId('M.Region', byId('M.City', address['city'])['region'])['country'])['name'];
    expect(store.get('M.Address')!.map(countryOf)).toEqual(['PT', 'NL', 'NL']);
    expect(store.get('M.Address')!.every((r) => !('id' in r) || Number(r['id']) >= 400)).toBe(true);
    // One id-map lookup per batch and referenced entity, never per row.
    expect(idMap.calls).toEqual(['M.Country', 'M.Region', 'M.City']);
  });

  it('rejects a row whose referenced id was never recorded, and can load NULL instead', async () => {
    const idMap = new MemoryIdMap();
    await idMap.put('M.Country', [['7', '100']]);
    const [batch] = await runStage(compiled.entity('M.Region'), { idMap }, [
      { ID: 1n, NAME: 'x', COUNTRY: 7n },
      { ID: 2n, NAME: 'y', COUNTRY: 8n },
    ]);
    expect(batch!.rows).toEqual([{ name: 'x', country: '100' }]);
    expect(batch!.rejects).toEqual([
      {
        entity: 'M.Region',
        key: ['2'],
        attribute: 'Country',
        rule: 'dangling-reference',
        message: 'no id of M.Country is recorded for the referenced row (missing in the source, or rejected)',
        parent: { entity: 'M.Country', key: ['8'] },
      },
    ]);
  });
});

describe('many-to-many', () => {
  const spec: MappingSpec = {
    version: 1,
    entities: [
      entity('Student', {}, 'remap'),
      entity('Course', {}, 'remap'),
      { ...entity('Enrollment', { Student: 'Student', Course: 'Course' }), key: ['Id'] },
    ],
  };
  it('depends on both sides and remaps both references in two lookups per batch', async () => {
    const compiled = compileMapping(spec);
    expect(compiled.entity('M.Enrollment').dependsOn).toEqual(['M.Course', 'M.Student']);
    expect(compiled.graph.cycles).toEqual([]);
    const idMap = new MemoryIdMap();
    await idMap.put('M.Student', [
      ['1', 'S1'],
      ['2', 'S2'],
    ]);
    await idMap.put('M.Course', [
      ['10', 'C10'],
      ['20', 'C20'],
    ]);
    const rows = [
      { ID: 1n, NAME: '', STUDENT: 1n, COURSE: 10n },
      { ID: 2n, NAME: '', STUDENT: 1n, COURSE: 20n },
      { ID: 3n, NAME: '', STUDENT: 2n, COURSE: 10n },
    ];
    const [batch] = await runStage(compiled.entity('M.Enrollment'), { idMap }, rows);
    expect(batch!.rows.map((r) => [r['id'], r['student'], r['course']])).toEqual([
      ['1', 'S1', 'C10'],
      ['2', 'S1', 'C20'],
      ['3', 'S2', 'C10'],
    ]);
    expect(idMap.calls.sort()).toEqual(['M.Course', 'M.Student']);
  });
});

describe('static entity references', () => {
  const spec: MappingSpec = {
    version: 1,
    entities: [
      {
        source: { module: 'M', entity: 'Order' },
        target: { table: 'order' },
        key: ['Id'],
        attributes: {
          Id: { type: 'rtInteger' },
          Status: { type: 'rtInteger', reference: { kind: 'static', entity: 'M.Status' } },
          StatusByLabel: {
            type: 'rtInteger',
            column: 'STATUS',
            target: 'status_label',
            reference: { kind: 'static', entity: 'M.Status', by: 'label' },
          },
        },
      },
    ],
  };
  const records = [
    { name: 'Open', ssKey: 'a', dataId: '1', isActive: true },
    { name: 'Closed', ssKey: 'b', dataId: '2', isActive: true },
    { name: 'Legacy', ssKey: 'c', dataId: '3', isActive: false },
  ];
  it('turns references to deleted static records into NULL and counts them', async () => {
    const stats = new MappingStats();
    const statics = new Map([
      ['M.Status', new StaticRecordMap('M.Status', records, { Open: '11', Closed: '12' })],
    ]);
    const [batch] = await runStage(compileMapping(spec).entity('M.Order'), { statics, stats }, [
      { ID: 1, STATUS: 1 },
      { ID: 2, STATUS: 3 },
      { ID: 3, STATUS: 2 },
      { ID: 4, STATUS: 3 },
      { ID: 5, STATUS: 99 },
    ]);
    expect(batch!.rows).toEqual([
      { id: 1, status: 1, status_label: '11' },
      { id: 2, status: null, status_label: null },
      { id: 3, status: 2, status_label: '12' },
      { id: 4, status: null, status_label: null },
    ]);
    expect(stats.get('M.Order', 'deleted-static-record', 'Status')).toBe(2);
    expect(stats.get('M.Order', 'deleted-static-record')).toBe(4);
    expect(batch!.rejects).toEqual([
      expect.objectContaining({ key: ['5'], attribute: 'Status', rule: 'dangling-reference' }),
    ]);
  });

  it('rejects a row whose mandatory reference names a deleted static record, uncounted as a note', async () => {
    const stats = new MappingStats();
    const statics = new Map([['M.Status', new StaticRecordMap('M.Status', records)]]);
    const order = spec.entities[0]!;
    const mandatory: MappingSpec = {
      ...spec,
      entities: [
        {
          ...order,
          attributes: {
            Id: order.attributes['Id']!,
            Status: { ...order.attributes['Status']!, mandatory: true },
          },
        },
      ],
    };
    const [batch] = await runStage(compileMapping(mandatory).entity('M.Order'), { statics, stats }, [
      { ID: 1, STATUS: 1 },
      { ID: 2, STATUS: 3 },
    ]);
    expect(batch!.rows).toEqual([{ id: 1, status: 1 }]);
    expect(batch!.rejects).toEqual([
      expect.objectContaining({ key: ['2'], attribute: 'Status', rule: 'deleted-static-record' }),
    ]);
    expect(stats.get('M.Order', 'deleted-static-record')).toBe(0);
  });
});
