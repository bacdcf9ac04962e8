// The model check: the mapping must agree with the O11 catalog on the source side and with the real
// target tables on the other, the way the Migration Kit refuses "data model inconsistencies": missing
// tables or columns, type, length, precision/scale, mandatory, and reference targets.

import type { CompiledEntity, CompiledMapping, O11Catalog, TargetColumn } from '@ferry/mapping';
import type { ActualColumn, ActualTable } from './target-shape.js';
import { ambiguousReference } from './ambiguous-reference.js';

/** The classes of inconsistency. */
export type CheckKind =
  | 'source-entity'
  | 'source-attribute'
  | 'source-type'
  | 'source-length'
  | 'missing-table'
  | 'missing-column'
  | 'type'
  | 'length'
  | 'precision'
  | 'mandatory'
  | 'reference'
  | 'duplicate-key'
  | 'users';

/** One inconsistency, naming entity and attribute (never a value). */
export interface CheckFinding {
  readonly kind: CheckKind;
  readonly entity: string;
  readonly attribute?: string;
  readonly expected: string;
  readonly actual: string;
}

/** Source side: every mapped attribute exists in the catalog with the same type, length and decimals. */
export function checkSource(entity: CompiledEntity, catalog: O11Catalog): CheckFinding[] {
  const source = entity.spec.source;
  if (!('module' in source)) return [];
  const o11 = catalog.entities.find(
    (e) => e.module === source.module && e.name === source.entity && e.isActive,
  );
  const name = entity.name;
  if (o11 === undefined)
    return [
      {
        kind: 'source-entity',
        entity: name,
        expected: `${source.module}.${source.entity}`,
        actual: 'not in the O11 catalog',
      },
    ];
  const found: CheckFinding[] = [];
  for (const attribute of entity.attributes) {
    if (attribute.spec.constant !== undefined || attribute.spec.compute !== undefined) continue;
    const actual = o11.attributes.find(
      (a) => a.isActive && a.column.toUpperCase() === attribute.column.toUpperCase(),
    );
    if (actual === undefined) {
      found.push({
        kind: 'source-attribute',
        entity: name,
        attribute: attribute.name,
        expected: attribute.column,
        actual: 'no such active attribute',
      });
      continue;
    }
    found.push(...ambiguousReference(name, attribute, actual, catalog));
    if (actual.type !== attribute.spec.type)
      found.push({
        kind: 'source-type',
        entity: name,
        attribute: attribute.name,
        expected: attribute.spec.type,
        actual: actual.type,
      });
    const sized = actual.type === 'rtText' || actual.type === 'rtDecimal';
    if (
      sized &&
      attribute.spec.length !== undefined &&
      actual.length !== undefined &&
      actual.length !== attribute.spec.length
    )
      found.push({
        kind: 'source-length',
        entity: name,
        attribute: attribute.name,
        expected: String(attribute.spec.length),
        actual: String(actual.length),
      });
  }
  return found;
}

function shape(column: TargetColumn | ActualColumn): string {
  if (column.type === 'varchar') return `varchar(${column.length ?? ''})`;
  if (column.type === 'numeric') return `numeric(${column.precision ?? ''},${column.scale ?? ''})`;
  return column.type;
}

function checkColumn(name: string, attribute: string, want: TargetColumn, got: ActualColumn): CheckFinding[] {
  const at = { entity: name, attribute };
  // User references: Ferry creates uuid columns; an ODC User Identifier may be text too, and holds them.
  const userText = want.type === 'uuid' && (got.type === 'text' || got.type === 'varchar');
  if (want.type !== got.type && !userText)
    return [{ kind: 'type', ...at, expected: shape(want), actual: shape(got) }];
  const found: CheckFinding[] = [];
  if (want.type === 'varchar' && want.length !== got.length)
    found.push({ kind: 'length', ...at, expected: shape(want), actual: shape(got) });
  if (want.type === 'numeric' && (want.precision !== got.precision || (want.scale ?? 0) !== (got.scale ?? 0)))
    found.push({ kind: 'precision', ...at, expected: shape(want), actual: shape(got) });
  if (want.nullable !== got.nullable)
    found.push({
      kind: 'mandatory',
      ...at,
      expected: want.nullable ? 'nullable' : 'NOT NULL',
      actual: got.nullable ? 'nullable' : 'NOT NULL',
    });
  return found;
}

/** Target side: the entity's table and columns agree with what the mapping derives. */
export function checkTarget(
  entity: CompiledEntity,
  actual: ActualTable | undefined,
  mapping: CompiledMapping,
  schemaOf: (table: { readonly schema?: string }) => string,
): CheckFinding[] {
  const table = entity.table;
  const qualified = `${schemaOf(table)}.${table.table}`;
  if (actual === undefined)
    return [{ kind: 'missing-table', entity: entity.name, expected: qualified, actual: 'does not exist' }];
  const found: CheckFinding[] = [];
  for (const attribute of entity.attributes) {
    const got = actual.columns.get(attribute.target);
    if (got === undefined) {
      found.push({
        kind: 'missing-column',
        entity: entity.name,
        attribute: attribute.name,
        expected: `${qualified}.${attribute.target}`,
        actual: 'does not exist',
      });
      continue;
    }
    found.push(...checkColumn(entity.name, attribute.name, attribute.targetColumn, got));
    const reference = attribute.reference;
    const fk = actual.references.get(attribute.target);
    if (reference?.kind === 'entity' && fk !== undefined) {
      const referenced = mapping.entities.find((e) => e.name === reference.entity)?.table;
      const want = referenced === undefined ? undefined : `${schemaOf(referenced)}.${referenced.table}`;
      if (want !== undefined && want !== fk)
        found.push({
          kind: 'reference',
          entity: entity.name,
          attribute: attribute.name,
          expected: want,
          actual: fk,
        });
    }
  }
  return found;
}
