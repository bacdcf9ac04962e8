// Issue 13, cases 2 and 3 in the mapping stage: a reference whose parent row is not in the target
// follows its policy (default from the O11 delete rule): reject with the parent's key, keep and count,
// or NULL and count; one ParentKeys call per batch and referenced entity. Spec checks for the options.
import { describe, expect, it } from 'vitest';
import {
  MappingStats,
  compileMapping,
  generateMapping,
  parseMapping,
  type AttributeSpec,
  type MappingSpec,
  type O11Catalog,
  type ParentKeys,
} from '@ferry/mapping';
import { MemoryIdMap, runStage } from './helpers.js';

/** Parents present in the "target", by entity; records every call. */
class FakeParents implements ParentKeys {
  readonly calls: [string, string[]][] = [];
  constructor(readonly present: Record<string, string[]>) {}
  async existing(entity: string, keys: readonly string[]): Promise<ReadonlySet<string>> {
    this.calls.push([entity, [...keys].sort()]);
    return new Set(keys.filter((k) => (this.present[entity] ?? []).includes(k)));
  }
}

const ref = (
  extra: Partial<AttributeSpec> & {
    deleteRule?: 'Protect' | 'Delete' | 'Ignore';
    onMissing?: 'reject' | 'keep' | 'null';
  },
): AttributeSpec => {
  const { deleteRule, onMissing, ...rest } = extra;
  return {
    type: 'rtInteger',
    ...rest,
    reference: {
      kind: 'entity',
      entity: 'M.Parent',
      ...(deleteRule === undefined ? {} : { deleteRule }),
      ...(onMissing === undefined ? {} : { onMissing }),
    },
  };
};

function spec(
  attributes: Record<string, AttributeSpec>,
  identity: 'preserve' | 'remap' = 'preserve',
): MappingSpec {
  return {
    version: 1,
    entities: [
      {
        source: { module: 'M', entity: 'Parent' },
        target: { app: 'M', entity: 'Parent' },
        key: ['Id'],
        identity,
        attributes: { Id: { type: 'rtInteger', mandatory: true, autoNumber: true } },
      },
      {
        source: { module: 'M', entity: 'Child' },
        target: { app: 'M', entity: 'Child' },
        key: ['Id'],
        attributes: { Id: { type: 'rtInteger', mandatory: true }, ...attributes },
      },
    ],
  };
}

const rows = [
  { ID: 1, A: 10 },
  { ID: 2, A: 11 },
  { ID: 3, A: null },
  { ID: 4, A: 12 },
];

describe('references whose parent row is not in the target', () => {
  it('Protect and Delete (and no rule: O11 default Protect) reject the child with the parent key', async () => {
    for (const deleteRule of ['Protect', 'Delete', undefined] as const) {
      const compiled = compileMapping(
        spec({
          A: ref({
            mandatory: deleteRule !== undefined,
            ...(deleteRule === undefined ? {} : { deleteRule }),
          }),
        }),
      );
      const parents = new FakeParents({ 'M.Parent': ['10'] });
      const [batch] = await runStage(
        compiled.entity('M.Child'),
        { parents },
        rows.filter((r) => r.A !== null),
      );
      expect(batch!.rows).toEqual([{ id: 1, a: 10 }]);
      expect(batch!.rejects).toEqual(
        [2, 4].map((id, i) => ({
          entity: 'M.Child',
          key: [String(id)],
          attribute: 'A',
          rule: 'dangling-reference',
          message: 'the referenced M.Parent row is not in the target (missing in the source, or rejected)',
          parent: { entity: 'M.Parent', key: [['11', '12'][i]!] },
        })),
      );
      // One look-up for the batch, with each referenced key once.
      expect(parents.calls).toEqual([['M.Parent', ['10', '11', '12']]]);
    }
  });

  it('Ignore keeps the dangling id and counts it; NULL references are not looked up', async () => {
    const compiled = compileMapping(spec({ A: ref({ deleteRule: 'Ignore' }) }));
    const stats = new MappingStats();
    const parents = new FakeParents({ 'M.Parent': ['10'] });
    const [batch] = await runStage(compiled.entity('M.Child'), { parents, stats }, rows);
    expect(batch!.rows.map((r) => r['a'])).toEqual([10, 11, null, 12]);
    expect(batch!.rejects).toBeUndefined();
    expect(stats.get('M.Child', 'dangling-reference-kept', 'A')).toBe(2);
    expect(parents.calls).toEqual([['M.Parent', ['10', '11', '12']]]);
  });

  it('onMissing "null" loads NULL and counts it; "reject" overrides Ignore; "keep" overrides Protect', async () => {
    const stats = new MappingStats();
    const parents = new FakeParents({ 'M.Parent': ['10'] });
    const nulled = compileMapping(spec({ A: ref({ deleteRule: 'Protect', onMissing: 'null' }) }));
    const [a] = await runStage(nulled.entity('M.Child'), { parents, stats }, rows);
    expect(a!.rows.map((r) => r['a'])).toEqual([10, null, null, null]);
    expect(stats.get('M.Child', 'dangling-reference-nulled', 'A')).toBe(2);
    const rejected = compileMapping(spec({ A: ref({ deleteRule: 'Ignore', onMissing: 'reject' }) }));
    const [b] = await runStage(rejected.entity('M.Child'), { parents }, rows);
    expect(b!.rows.map((r) => r['id'])).toEqual([1, 3]);
    const kept = compileMapping(
      spec({ A: ref({ deleteRule: 'Protect', mandatory: true, onMissing: 'keep' }) }),
    );
    const [c] = await runStage(
      kept.entity('M.Child'),
      { parents },
      rows.filter((r) => r.A !== null),
    );
    expect(c!.rows.map((r) => r['a'])).toEqual([10, 11, 12]);
  });

  it('without a ParentKeys in the runtime, kept ids are not checked (as before)', async () => {
    const compiled = compileMapping(spec({ A: ref({ deleteRule: 'Protect' }) }));
    const [batch] = await runStage(compiled.entity('M.Child'), {}, rows);
    expect(batch!.rows).toHaveLength(4);
  });

  it('a remapped Ignore reference cannot keep an O11 id: NULL when optional, reject when mandatory', async () => {
    const idMap = new MemoryIdMap();
    await idMap.put('M.Parent', [['10', '900']]);
    const optional = compileMapping(spec({ A: ref({ deleteRule: 'Ignore' }) }, 'remap'));
    const [a] = await runStage(optional.entity('M.Child'), { idMap }, rows);
    expect(a!.rows.map((r) => r['a'])).toEqual(['900', null, null, null]);
    const mandatory = compileMapping(spec({ A: ref({ deleteRule: 'Ignore', mandatory: true }) }, 'remap'));
    const [b] = await runStage(
      mandatory.entity('M.Child'),
      { idMap },
      rows.filter((r) => r.A !== null),
    );
    expect(b!.rows.map((r) => r['id'])).toEqual([1]);
    expect(b!.rejects?.map((r) => r.parent)).toEqual([
      { entity: 'M.Parent', key: ['11'] },
      { entity: 'M.Parent', key: ['12'] },
    ]);
  });
});

describe('spec checks of onMissing', () => {
  const refused = (s: MappingSpec): string => {
    try {
      parseMapping(JSON.parse(JSON.stringify(s)));
    } catch (error) {
      return String((error as Error).message);
    }
    return 'accepted';
  };
  it('"null" needs an optional reference', () => {
    expect(refused(spec({ A: ref({ mandatory: true, onMissing: 'null' }) }))).toMatch(
      /onMissing.*"null" needs an optional reference/s,
    );
  });
  it('"keep" is refused for a remapped reference', () => {
    expect(refused(spec({ A: ref({ onMissing: 'keep' }) }, 'remap'))).toMatch(
      /onMissing.*cannot keep the O11 id/s,
    );
  });
  it('"keep", "null" and "reject" are accepted where they fit', () => {
    for (const onMissing of ['keep', 'null', 'reject'] as const)
      expect(refused(spec({ A: ref({ onMissing }) }))).toBe('accepted');
  });
});

describe('generateMapping', () => {
  it('copies the O11 delete rule into entity references', () => {
    const attr = (name: string, extra: object = {}) => ({
      name,
      column: name.toUpperCase(),
      type: 'rtInteger' as const,
      isMandatory: false,
      isAutoNumber: false,
      isIdentifier: false,
      isActive: true,
      ...extra,
    });
    const catalog = {
      entities: [
        {
          module: 'M',
          name: 'Parent',
          qualifiedName: 'M.Parent',
          physicalTable: 'OSUSR_ABC_PARENT',
          dataKind: 'entity',
          isActive: true,
          isSystem: false,
          identifier: 'Id',
          attributes: [attr('Id', { isIdentifier: true, isMandatory: true, isAutoNumber: true })],
        },
        {
          module: 'M',
          name: 'Child',
          qualifiedName: 'M.Child',
          physicalTable: 'OSUSR_ABC_CHILD',
          dataKind: 'entity',
          isActive: true,
          isSystem: false,
          identifier: 'Id',
          attributes: [
            attr('Id', { isIdentifier: true, isMandatory: true, isAutoNumber: true }),
            attr('ParentId', { reference: { kind: 'entity', target: 'M.Parent' }, deleteRule: 'Delete' }),
          ],
        },
      ],
    } as unknown as O11Catalog;
    const child = generateMapping(catalog).entities.find(
      (e) => 'module' in e.source && e.source.entity === 'Child',
    )!;
    expect(child.attributes['ParentId']!.reference).toEqual({
      kind: 'entity',
      entity: 'M.Parent',
      deleteRule: 'Delete',
    });
  });
});
