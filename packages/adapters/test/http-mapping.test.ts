// The HTTP sink behind @ferry/mapping's stage: entities with identity `remap` leave the stage without
// their key (the sink takes the O11 key the stage recorded), and references are remapped by the mapping
// through the ids the sink put into the id map under the pipeline's entity name.

import { afterEach, expect, it } from 'vitest';
import { MemoryCheckpointStore, MemoryIdMapStore, mapRows, run } from '@ferry/core';
import type { Plan, Row, Stage } from '@ferry/core';
import { FakeSource } from '@ferry/core/testing';
import { compileMapping, planFromMapping } from '@ferry/mapping';
import type { EntitySpec, MappingSpec } from '@ferry/mapping';
import { odcRestSink } from '@ferry/adapters/http';
import { startFakeOdcServer } from '@ferry/adapters/http/testing';
import type { FakeOdcServer } from '@ferry/adapters/http/testing';

let server: FakeOdcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function entity(name: string, refs: Record<string, string>): EntitySpec {
  const attributes: EntitySpec['attributes'] = {
    Id: { type: 'rtLongInteger', mandatory: true, autoNumber: true },
    Name: { type: 'rtText', length: 50 },
    ...Object.fromEntries(
      Object.entries(refs).map(([attr, target]) => [
        attr,
        { type: 'rtLongInteger', reference: { kind: 'entity', entity: `M.${target}` } },
      ]),
    ),
  };
  return {
    source: { module: 'M', entity: name },
    target: { app: 'M', entity: name },
    key: ['Id'],
    identity: 'remap',
    attributes,
  };
}

it('writes mapped rows with identity remap and mapping-remapped references', async () => {
  server = await startFakeOdcServer({
    references: { Region: { country: 'Country' } },
    faults: { errorRate: 0.1 },
  });
  const spec: MappingSpec = {
    version: 1,
    entities: [entity('Country', {}), entity('Region', { Country: 'Country' })],
  };
  const data: Record<string, Row[]> = {
    'M.Country': [
      { ID: 7n, NAME: 'PT' },
      { ID: 9n, NAME: 'NL' },
    ],
    'M.Region': [
      { ID: 70n, NAME: 'Lisboa', COUNTRY: 7n },
      { ID: 90n, NAME: 'Holland', COUNTRY: 9n },
      { ID: 91n, NAME: 'Zeeland', COUNTRY: 9n },
    ],
  };
  const idMap = new MemoryIdMapStore();
  const plan = planFromMapping(compileMapping(spec), {
    source: (e) => FakeSource.fromRows(data[e.name]!, { keyOf: (row) => String(row.ID) }),
    sink: (e) =>
      odcRestSink({
        baseUrl: server!.url,
        entity: e.name.split('.')[1]!,
        idMap,
        retry: { minDelayMs: 1, maxDelayMs: 5 },
      }),
    runtime: { idMap },
  });
  const result = await run(plan, { runId: 'mapped', checkpoints: new MemoryCheckpointStore() });
  expect(result.status).toBe('completed');
  const countries = server.rows('Country');
  const regions = server.rows('Region');
  expect([...countries.keys()].sort()).toEqual(['7', '9']);
  expect(countries.get('7')!.attributes).toEqual({ name: 'PT' });
  expect([...regions.entries()].map(([key, r]) => [key, r.attributes])).toEqual([
    ['70', { name: 'Lisboa', country: countries.get('7')!.id }],
    ['90', { name: 'Holland', country: countries.get('9')!.id }],
    ['91', { name: 'Zeeland', country: countries.get('9')!.id }],
  ]);
  expect((await idMap.get('M.Region', ['91'])).get('91')).toBe(regions.get('91')!.id);
});

/** One remapped entity (Country) planned to the fake app, with `hook` after the mapping stage. */
async function runWithHook(hook: Stage<Row, Row>) {
  server = await startFakeOdcServer();
  const spec: MappingSpec = { version: 1, entities: [entity('Country', {})] };
  const rows: Row[] = [
    { ID: 7n, NAME: 'PT' },
    { ID: 9n, NAME: 'NL' },
  ];
  const idMap = new MemoryIdMapStore();
  const plan = planFromMapping(compileMapping(spec), {
    source: () => FakeSource.fromRows(rows, { keyOf: (row) => String(row.ID) }),
    sink: () =>
      odcRestSink({
        baseUrl: server!.url,
        entity: 'Country',
        idMap,
        retry: { minDelayMs: 1, maxDelayMs: 5 },
      }),
    runtime: { idMap },
  });
  const hooked: Plan = {
    ...plan,
    entities: plan.entities.map((p) => ({ ...p, stages: [...(p.stages ?? []), hook] })),
  };
  const result = await run(hooked, { runId: 'hooked', checkpoints: new MemoryCheckpointStore() });
  return { result, idMap };
}

// Regression: the O11 key of a remapped row lived in a module-level WeakMap keyed by the row object, so
// a hook that copied rows lost it and the sink failed with "key attribute ... is missing". It now
// travels in the batch (Batch.keys).
it('regression: a hook stage that copies rows keeps the O11 key of remapped rows', async () => {
  const { result, idMap } = await runWithHook(mapRows((row: Row) => ({ ...row })));
  expect(result.status).toBe('completed');
  expect([...server!.rows('Country').keys()].sort()).toEqual(['7', '9']);
  expect([...(await idMap.get('M.Country', ['7', '9'])).keys()].sort()).toEqual(['7', '9']);
});

it('a hook that rebuilds batches without their keys fails with an error naming Batch.keys', async () => {
  const dropKeys: Stage<Row, Row> = async function* (input) {
    for await (const batch of input)
      yield { rows: batch.rows, position: batch.position, rowsRead: batch.rowsRead };
  };
  const { result } = await runWithHook(dropKeys);
  expect(result.status).toBe('failed');
  const message = result.entities[0]?.error?.message ?? '';
  expect(message).toContain('Batch.keys');
  expect(message).toContain('Id');
  expect(server!.rows('Country').size).toBe(0);
});

it('a hook that drops rows but not their keys fails instead of pairing ids with the wrong keys', async () => {
  const dropFirst: Stage<Row, Row> = async function* (input) {
    for await (const batch of input) yield { ...batch, rows: batch.rows.slice(1) };
  };
  const { result } = await runWithHook(dropFirst);
  expect(result.status).toBe('failed');
  expect(result.entities[0]?.error?.message).toContain('1 rows');
});
