// A reference code whose entity SS_KEY matches several entities outside the attribute's own module
// (cloned modules): discovery leaves it unresolved. When the candidates' identifiers have different
// types, the column type Ferry would use is a guess, so `check` (and `run`) report it until the user
// sets the reference in the mapping.

import type { CompiledAttribute, CompiledEntity, O11Attribute, O11Catalog } from '@ferry/mapping';
import type { CheckFinding } from './model-check.js';

/**
 * A `reference` finding for `attribute` (mapping) read from `actual` (catalog) when its reference is
 * ambiguous among candidates whose identifier types differ and the mapping does not say which one it
 * is; none otherwise. Names the candidates and their identifier types, never a value.
 */
export function ambiguousReference(
  entity: string,
  attribute: CompiledAttribute,
  actual: O11Attribute,
  catalog: O11Catalog,
): CheckFinding[] {
  const reference = actual.reference;
  const candidates = reference?.candidates ?? [];
  if (reference === undefined || candidates.length < 2 || attribute.spec.reference !== undefined) return [];
  const typed = candidates.map((name) => {
    const candidate = catalog.entities.find((e) => e.qualifiedName === name);
    return { name, type: candidate?.attributes.find((a) => a.isIdentifier)?.type };
  });
  const types = new Set(typed.flatMap((c) => c.type ?? []));
  if (types.size < 2) return [];
  const named = typed.map((c) => `${c.name} (${c.type ?? 'identifier unknown'})`).join(', ');
  return [
    {
      kind: 'reference',
      entity,
      attribute: attribute.name,
      expected: `a reference to one of ${named}: set its "reference" and "type" in the mapping`,
      actual: `entity SS_KEY ${reference.entitySsKey} is ambiguous: ids copied as plain ${attribute.spec.type} values`,
    },
  ];
}

/**
 * The {@link ambiguousReference} findings of `entities` (those read from O11 modules), for `plan`,
 * which lists them without the rest of the model check.
 */
export function ambiguousReferences(
  entities: readonly CompiledEntity[],
  catalog: O11Catalog,
): CheckFinding[] {
  return entities.flatMap((entity) => {
    const source = entity.spec.source;
    if (!('module' in source)) return [];
    const o11 = catalog.entities.find(
      (e) => e.module === source.module && e.name === source.entity && e.isActive,
    );
    return entity.attributes.flatMap((attribute) => {
      const actual = o11?.attributes.find(
        (a) => a.isActive && a.column.toUpperCase() === attribute.column.toUpperCase(),
      );
      return actual === undefined ? [] : ambiguousReference(entity.name, attribute, actual, catalog);
    });
  });
}
