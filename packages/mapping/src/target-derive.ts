// Target columns and tables derived from a mapping, per DOMAIN's type table: PostgreSQL types under
// ODC. User references become uuid (ODC user ids are UUIDs); cyclic references are nullable because
// pass 1 loads them as NULL.

import { buildEntityGraph } from './dependency-graph.js';
import { entityName, mappedAttributes, targetColumn, targetTableName } from './spec-names.js';
import type { AttributeSpec, EntitySpec, MappingSpec, NamingStyle } from './spec-types.js';
import type { TargetColumn, TargetTable } from './target.js';

/** O11's default text length (Text attributes without an explicit length). */
export const DEFAULT_TEXT_LENGTH = 50;

function derivedShape(attribute: AttributeSpec): Omit<TargetColumn, 'name' | 'nullable'> {
  if (attribute.reference?.kind === 'user') return { type: 'uuid' };
  switch (attribute.type) {
    case 'rtInteger':
      return { type: 'integer' };
    case 'rtLongInteger':
      return { type: 'bigint' };
    case 'rtCurrency':
      return { type: 'numeric', precision: attribute.precision ?? 37, scale: attribute.scale ?? 8 };
    case 'rtDecimal':
      return {
        type: 'numeric',
        precision: attribute.precision ?? attribute.length ?? 37,
        scale: attribute.scale ?? attribute.decimals ?? 8,
      };
    case 'rtText': {
      const length = attribute.targetLength ?? attribute.length ?? DEFAULT_TEXT_LENGTH;
      return length <= 2000 ? { type: 'varchar', length } : { type: 'text' };
    }
    case 'rtEmail':
      return { type: 'varchar', length: attribute.targetLength ?? 250 };
    case 'rtPhoneNumber':
      return { type: 'varchar', length: attribute.targetLength ?? 20 };
    case 'rtBoolean':
      return { type: 'boolean' };
    case 'rtDate':
      return { type: 'date' };
    case 'rtTime':
      return { type: 'time' };
    case 'rtDateTime':
      return { type: 'timestamp' };
    case 'rtBinaryData':
      return { type: 'bytea' };
  }
}

/** Options of {@link targetColumnFor}. */
export interface TargetColumnOptions {
  readonly naming: NamingStyle;
  readonly isKey: boolean;
  readonly deferred: boolean;
  readonly generated: boolean;
}

/** The target column of one attribute. */
export function targetColumnFor(
  name: string,
  attribute: AttributeSpec,
  options: TargetColumnOptions,
): TargetColumn {
  const shape: { -readonly [K in keyof TargetColumn]?: TargetColumn[K] } = { ...derivedShape(attribute) };
  if (attribute.targetType !== undefined && attribute.targetType !== shape.type) {
    shape.type = attribute.targetType;
    if (shape.type !== 'varchar') delete shape.length;
    if (shape.type !== 'numeric') {
      delete shape.precision;
      delete shape.scale;
    }
  }
  const nullable = options.deferred || (!options.isKey && attribute.mandatory !== true);
  return {
    ...shape,
    type: shape.type ?? 'text',
    name: targetColumn(name, attribute, options.naming),
    nullable,
    ...(options.generated ? { generated: true } : {}),
  };
}

/** The target table of one entity; `deferred` names the attributes loaded in pass 2. */
export function targetTableFor(
  entity: EntitySpec,
  spec: MappingSpec,
  deferred: ReadonlySet<string> = new Set(),
): TargetTable {
  const naming = spec.defaults?.naming ?? 'snake_case';
  const remap = (entity.identity ?? spec.defaults?.identity ?? 'preserve') === 'remap';
  const columns = mappedAttributes(entity).map(([name, attribute]) => {
    const isKey = entity.key.includes(name);
    return targetColumnFor(name, attribute, {
      naming,
      isKey,
      deferred: deferred.has(name),
      generated: isKey && remap,
    });
  });
  const key = entity.key.map((name) =>
    targetColumn(name, entity.attributes[name] ?? { type: 'rtInteger' }, naming),
  );
  return { ...targetTableName(entity, naming), key, columns };
}

/** Every target table of a mapping, keyed by entity name, in spec order. */
export function targetTablesFromMapping(spec: MappingSpec): ReadonlyMap<string, TargetTable> {
  const graph = buildEntityGraph(spec);
  return new Map(
    spec.entities.map((entity) => {
      const name = entityName(entity);
      return [name, targetTableFor(entity, spec, graph.deferred.get(name))] as const;
    }),
  );
}
