// Names a spec implies: the pipeline name of an entity, its source column and target table and column
// names. One place, so parse checks, compilation and generation agree.

import type { AttributeSpec, EntitySpec, NamingStyle } from './spec-types.js';

/** `CustomerOrder` → `customer_order`, `HTTPCode` → `http_code`, `Order2Line` → `order2_line`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** Applies a naming style to a logical name. */
export function applyNaming(name: string, naming: NamingStyle): string {
  return naming === 'snake_case' ? snakeCase(name) : name;
}

/** The pipeline name: `name`, else `Module.Entity`, else the source table. */
export function entityName(entity: EntitySpec): string {
  if (entity.name !== undefined) return entity.name;
  const source = entity.source as { module?: string; entity?: string; table?: string; schema?: string };
  if (source.module !== undefined && source.entity !== undefined) return `${source.module}.${source.entity}`;
  return source.schema === undefined ? String(source.table) : `${source.schema}.${String(source.table)}`;
}

/** The target schema and table of an entity. */
export function targetTableName(
  entity: EntitySpec,
  naming: NamingStyle,
): { readonly schema?: string; readonly table: string } {
  const target = entity.target as { app?: string; entity?: string; table?: string; schema?: string };
  if (target.table !== undefined) {
    return target.schema === undefined
      ? { table: target.table }
      : { schema: target.schema, table: target.table };
  }
  return {
    schema: applyNaming(String(target.app), naming),
    table: applyNaming(String(target.entity), naming),
  };
}

/** The source column of an attribute: `column`, else the name upper-cased (O11's physical naming). */
export function sourceColumn(name: string, attribute: AttributeSpec): string {
  return attribute.column ?? name.toUpperCase();
}

/** The target column of an attribute: `target`, else the name under the naming style. */
export function targetColumn(name: string, attribute: AttributeSpec, naming: NamingStyle): string {
  return attribute.target ?? applyNaming(name, naming);
}

/** The attributes that reach the target, in spec order: not excluded, and in `include` when given. */
export function mappedAttributes(entity: EntitySpec): readonly (readonly [string, AttributeSpec])[] {
  const include = entity.include === undefined ? undefined : new Set(entity.include);
  const exclude = new Set(entity.exclude ?? []);
  return Object.entries(entity.attributes).filter(
    ([name, attribute]) =>
      attribute.exclude !== true && !exclude.has(name) && (include === undefined || include.has(name)),
  );
}
