// Unit tests of `ferry sync`'s pure parts: the order of its plan (parents' upserts first, children's
// deletes first, a self reference detached before its rows are deleted, every delete after every
// upsert), the SQL of the key list and of the delete, and the key-list source's positions.

import { describe, expect, test } from 'vitest';
import { FerryError } from '@ferry/core';
import type { EntityResult, Row, Sink, Source } from '@ferry/core';
import { compileMapping } from '@ferry/mapping';
import type { MappingSpec } from '@ferry/mapping';
import { keyListFragment } from '@ferry/adapters/knex';
import { deleteStatement } from '@ferry/adapters/postgres';
import { keyListSource, syncPlan } from '@ferry/adapters/migration';
import { syncReport } from '../src/migration/sync-report.js';
import type { DiffReport } from '@ferry/adapters/migration';
import { dependencyOrder, PendingParents } from '../src/migration/diff-parents.js';

const id = { type: 'rtInteger', mandatory: true } as const;
const ref = (entity: string) => ({ type: 'rtInteger', reference: { kind: 'entity', entity } }) as const;
const SPEC: MappingSpec = {
  version: 1,
  entities: [
    {
      source: { module: 'M', entity: 'Parent' },
      target: { app: 'M', entity: 'Parent' },
      key: ['Id'],
      attributes: { Id: id, UpId: ref('M.Parent') },
    },
    {
      source: { module: 'M', entity: 'Child' },
      target: { app: 'M', entity: 'Child' },
      key: ['Id'],
      attributes: { Id: id, ParentId: ref('M.Parent') },
    },
    {
      source: { module: 'M', entity: 'Leaf' },
      target: { app: 'M', entity: 'Leaf' },
      key: ['Id'],
      attributes: { Id: id, ChildId: ref('M.Child') },
    },
  ],
};
const compiled = compileMapping(SPEC);
const diff: DiffReport = {
  ok: false,
  entities: ['M.Parent', 'M.Child', 'M.Leaf'].map((entity) => ({
    entity,
    table: entity,
    onlyInSource: [['1']],
    onlyInTarget: [['2']],
    changed: [['3']],
    sourceRows: 2,
    targetRows: 2,
  })),
};
const source = { name: 's', read: () => ({ async *[Symbol.asyncIterator]() {} }) } as unknown as Source<Row>;
const sink = { name: 'k', write: () => Promise.resolve(), close: () => Promise.resolve() } as Sink<Row>;
const parts = {
  source: () => source,
  keys: () => source,
  sink: () => sink,
  detach: () => sink,
  delete: () => sink,
};

describe('syncPlan', () => {
  const plan = syncPlan(compiled.entities, diff, 'delete', parts);
  const deps = new Map(plan.entities.map((p) => [p.entity, [...(p.dependsOn ?? [])].sort()]));

  test('upserts wait for their parents; pass 2 for its own rows', () => {
    expect(deps.get('M.Parent#insert')).toEqual([]);
    expect(deps.get('M.Child#insert')).toEqual(['M.Parent#insert', 'M.Parent#update']);
    expect(deps.get('M.Leaf#update')).toEqual(['M.Child#insert', 'M.Child#update']);
    expect(deps.get('M.Parent#pass2')).toEqual(['M.Parent#insert', 'M.Parent#update']);
  });

  test("deletes come after every upsert, children's first, a self reference detached first", () => {
    const writes = plan.entities.filter((p) => /#(insert|update|pass2)$/.test(p.entity)).map((p) => p.entity);
    for (const name of ['M.Parent#detach', 'M.Leaf#delete'])
      expect(deps.get(name)).toEqual([...writes].sort());
    expect(deps.get('M.Child#delete')).toEqual([...writes, 'M.Leaf#delete'].sort());
    expect(deps.get('M.Parent#delete')).toEqual([...writes, 'M.Parent#detach', 'M.Child#delete'].sort());
  });

  test('keep and report plan no deletes; entities outside the list are left out', () => {
    const kept = syncPlan(compiled.entities.slice(1), diff, 'keep', parts).entities.map((p) => p.entity);
    expect(kept).toEqual(['M.Child#insert', 'M.Child#update', 'M.Leaf#insert', 'M.Leaf#update']);
  });
});

describe('SQL', () => {
  const columns = [
    { name: 'A', placeholder: 'CAST(? AS SIGNED)' },
    { name: 'B', placeholder: '?' },
  ];
  test('a key list: IN for one column, OR of ANDs for a composite key, nothing for none', () => {
    expect(keyListFragment(columns.slice(0, 1), [['1'], ['9007199254740993']])).toEqual({
      sql: '?? IN (CAST(? AS SIGNED), CAST(? AS SIGNED))',
      bindings: ['A', '1', '9007199254740993'],
    });
    expect(
      keyListFragment(columns, [
        ['1', 'x'],
        ['2', 'y'],
      ]),
    ).toEqual({
      sql: '((?? = CAST(? AS SIGNED) AND ?? = ?) OR (?? = CAST(? AS SIGNED) AND ?? = ?))',
      bindings: ['A', '1', 'B', 'x', 'A', '2', 'B', 'y'],
    });
    expect(keyListFragment(columns, [])).toEqual({ sql: '1 = 0', bindings: [] });
    expect(() => keyListFragment(columns, [['1']])).toThrow(RangeError);
  });

  test('the delete joins the key arrays, names quoted', () => {
    const table = compiled.entity('M.Child').table;
    expect(deleteStatement({ ...table, schema: 'odc' })).toBe(
      'DELETE FROM "odc"."child" AS t USING unnest($1::integer[]) WITH ORDINALITY AS v("id", ord) WHERE t."id" = v."id" RETURNING v.ord',
    );
  });
});

describe('keyListSource', () => {
  const keys = [['1'], ['2'], ['3'], ['4'], ['5']];
  const read = async (after?: unknown) => {
    const out: { rows: readonly Row[]; position: unknown }[] = [];
    for await (const b of keyListSource('E', keys, ['id'], { up: null }).read({
      batchSize: 2,
      after: after as never,
    }))
      out.push(b);
    return out;
  };

  test('chunks of the batch size, each with the index reached and its last key', async () => {
    const batches = await read();
    expect(batches.map((b) => b.position)).toEqual([
      { index: 2, key: ['2'] },
      { index: 4, key: ['4'] },
      { index: 5, key: ['5'] },
    ]);
    expect(batches[0]!.rows).toEqual([
      { up: null, id: '1' },
      { up: null, id: '2' },
    ]);
  });

  test('resumes after a position; refuses one from another list', async () => {
    expect((await read({ index: 4, key: ['4'] })).map((b) => b.rows)).toEqual([[{ up: null, id: '5' }]]);
    await expect(read({ index: 4, key: ['9'] })).rejects.toMatchObject({ code: 'FERRY_SYNC_DIFF_CHANGED' });
    await expect(read({ index: 4, key: ['9'] })).rejects.toBeInstanceOf(FerryError);
  });
});

describe('the diff of a catch-up: parents as the sync leaves them', () => {
  test('a parent only in the source is present, one only in the target is gone', async () => {
    const target = {
      existing: (_e: string, keys: readonly string[]) =>
        Promise.resolve(new Set(keys.filter((k) => k !== '3'))),
    };
    const parents = new PendingParents(target);
    parents.record('M.Parent', [['3']], [['1']]);
    expect([...(await parents.existing('M.Parent', ['1', '2', '3']))].sort()).toEqual(['2', '3']);
    expect([...(await parents.existing('M.Child', ['1', '3']))].sort()).toEqual(['1']);
  });

  test('entities are diffed parents first', () => {
    const reversed = [...compiled.entities].reverse();
    expect(dependencyOrder(reversed).map((e) => e.name)).toEqual(['M.Parent', 'M.Child', 'M.Leaf']);
  });
});

describe('syncReport: the status of an entity', () => {
  const counts = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, rowsFiltered: 0, durationMs: 1 };
  const error = new FerryError('stale', { code: 'FERRY_SYNC_DIFF_STALE', reason: 'invalid-data' });
  const report = (results: EntityResult[]) =>
    syncReport(compiled.entities, diff, 'delete', {
      runId: 'r',
      status: 'failed',
      resumable: true,
      durationMs: 1,
      entities: results,
    }).entities;
  const skipped = (entity: string): EntityResult => ({
    ...counts,
    entity,
    status: 'skipped',
    skipReason: 'dependency-failed',
  });

  test('an entity whose update committed and whose delete was skipped is partial, not skipped', () => {
    const entities = report([
      { ...counts, entity: 'M.Parent#update', status: 'completed', rowsRead: 1, rowsWritten: 1 },
      skipped('M.Parent#delete'),
      { ...counts, entity: 'M.Child#update', status: 'failed', error },
    ]);
    expect(entities.find((e) => e.entity === 'M.Parent')).toMatchObject({ status: 'partial', updated: 1 });
    expect(entities.find((e) => e.entity === 'M.Child')).toMatchObject({ status: 'failed', error });
  });

  test('an entity none of whose actions ran is skipped; a failed action makes it failed', () => {
    const entities = report([
      skipped('M.Parent#update'),
      { ...counts, entity: 'M.Child#insert', status: 'completed', rowsWritten: 1 },
      skipped('M.Child#delete'),
      { ...counts, entity: 'M.Child#update', status: 'failed', error },
    ]);
    expect(entities.find((e) => e.entity === 'M.Parent')?.status).toBe('skipped');
    expect(entities.find((e) => e.entity === 'M.Child')?.status).toBe('failed');
  });
});
