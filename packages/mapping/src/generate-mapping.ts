// generateMapping: a complete default mapping from an O11 catalog, so the workflow is discover, edit,
// run. Live model only by default (inactive entities and attributes are deleted ones in O11), no
// system, client or BPT event (OSEVT_*) entities; targets named after the logical names.

import type { O11Attribute, O11Catalog, O11Entity } from './catalog.js';
import { applyNaming } from './spec-names.js';
import type {
  AttributeSpec,
  EntitySpec,
  IdentityPolicy,
  MappingSpec,
  NamingStyle,
  ReferenceSpec,
} from './spec-types.js';

/** Options of {@link generateMapping}. */
export interface GenerateOptions {
  /** Only entities of these modules (by name); default every module. */
  readonly modules?: readonly string[];
  /** Include inactive (deleted) entities and attributes; default false. */
  readonly includeInactive?: boolean;
  /** Also map static entities as data (ODC deploys their records with the app); default false. */
  readonly includeStaticEntities?: boolean;
  /** Default `snake_case`. */
  readonly naming?: NamingStyle;
  /** Default `preserve`. */
  readonly identity?: IdentityPolicy;
  /** How static references map; default `id`. */
  readonly staticReferencesBy?: 'id' | 'label';
  /** Told about what the generator left out or simplified (never row data). */
  readonly onWarning?: (message: string) => void;
}

function selected(entity: O11Entity, options: GenerateOptions): boolean {
  if (entity.isSystem || entity.dataKind === 'clientEntity') return false;
  if (entity.physicalTable.toUpperCase().startsWith('OSEVT_')) return false;
  if (!entity.isActive && options.includeInactive !== true) return false;
  if (entity.dataKind === 'staticEntity' && options.includeStaticEntities !== true) return false;
  return options.modules === undefined || options.modules.includes(entity.module);
}

function referenceOf(
  entity: O11Entity,
  attribute: O11Attribute,
  catalog: O11Catalog,
  mapped: ReadonlySet<string>,
  options: GenerateOptions,
): ReferenceSpec | undefined {
  const reference = attribute.reference;
  if (reference === undefined) return undefined;
  if (reference.kind === 'user') return { kind: 'user' };
  const target = reference.target;
  if (target !== undefined && mapped.has(target))
    return {
      kind: 'entity',
      entity: target,
      ...(attribute.deleteRule === undefined ? {} : { deleteRule: attribute.deleteRule }),
    };
  const targetEntity = catalog.entities.find((e) => e.qualifiedName === target);
  if (targetEntity?.dataKind === 'staticEntity')
    return { kind: 'static', entity: targetEntity.qualifiedName, by: options.staticReferencesBy ?? 'id' };
  const candidates = reference.candidates ?? [];
  options.onWarning?.(
    candidates.length > 1
      ? `${entity.qualifiedName}.${attribute.name} references entity SS_KEY ${reference.entitySsKey}, which ${candidates.length} entities hold (${candidates.join(', ')}) and none in its own module: its ids are copied as plain values (set its "reference" in the mapping to the right one)`
      : `${entity.qualifiedName}.${attribute.name} references ${target ?? 'an entity outside the catalog'}, which is not mapped: its ids are copied as plain values`,
  );
  return undefined;
}

/**
 * Mandatory in the target. User references are optional in a generated mapping even when the O11
 * attribute is mandatory (an unmatched user becomes NULL or the configured value). A static reference
 * keeps the O11 flag, as the ODC entity does (NOT NULL): a mandatory one to a deleted record rejects
 * its row (`deleted-static-record`); an optional one becomes NULL.
 */
function mandatory(attribute: O11Attribute, reference: ReferenceSpec | undefined): boolean {
  if (attribute.isIdentifier) return true;
  if (reference?.kind === 'user') return false;
  return attribute.isMandatory;
}

/**
 * The key of an entity without an identifier attribute (a many-to-many such as ProductTag): its active
 * reference attributes, which O11 apps index uniquely for that purpose. Undefined when it has none.
 */
function fallbackKey(entity: O11Entity): string[] | undefined {
  const references = entity.attributes
    .filter((a) => a.isActive && a.reference !== undefined)
    .map((a) => a.name);
  return references.length > 0 ? references : undefined;
}

function attributeSpec(
  entity: O11Entity,
  attribute: O11Attribute,
  catalog: O11Catalog,
  mapped: ReadonlySet<string>,
  options: GenerateOptions,
): AttributeSpec {
  const reference = referenceOf(entity, attribute, catalog, mapped, options);
  const sized = attribute.type === 'rtText' || attribute.type === 'rtDecimal';
  return {
    type: attribute.type,
    column: attribute.column,
    target: applyNaming(attribute.name, options.naming ?? 'snake_case'),
    ...(mandatory(attribute, reference) ? { mandatory: true } : {}),
    ...(attribute.isAutoNumber ? { autoNumber: true } : {}),
    ...(sized && attribute.length !== undefined ? { length: attribute.length } : {}),
    ...(attribute.type === 'rtDecimal' && attribute.decimals !== undefined
      ? { decimals: attribute.decimals }
      : {}),
    ...(reference === undefined ? {} : { reference }),
  };
}

/**
 * A default mapping for every selected entity of a catalog.
 *
 * @example
 * ```ts
 * const mapping = generateMapping(await discoverCatalog(db), { modules: ['Sales'] });
 * await writeFile('ferry.mapping.json', JSON.stringify(mapping, null, 2));
 * ```
 */
export function generateMapping(catalog: O11Catalog, options: GenerateOptions = {}): MappingSpec {
  const naming = options.naming ?? 'snake_case';
  const chosen = catalog.entities.filter((entity) => selected(entity, options));
  const keyed = chosen.flatMap((entity) => {
    if (entity.identifier !== undefined) return [{ entity, key: [entity.identifier] }];
    const key = fallbackKey(entity);
    options.onWarning?.(
      key === undefined
        ? `${entity.qualifiedName} has no identifier and no reference attribute: left out (give it a key by hand)`
        : `${entity.qualifiedName} has no identifier: keyed by ${key.join(', ')}, which must be unique`,
    );
    return key === undefined ? [] : [{ entity, key }];
  });
  const mapped = new Set(keyed.map(({ entity }) => entity.qualifiedName));
  const entities: EntitySpec[] = keyed.map(({ entity, key }) => ({
    name: entity.qualifiedName,
    source: { module: entity.module, entity: entity.name },
    target: { schema: applyNaming(entity.module, naming), table: applyNaming(entity.name, naming) },
    key,
    attributes: Object.fromEntries(
      entity.attributes
        .filter((a) => a.isActive || options.includeInactive === true)
        .map((a) => [a.name, attributeSpec(entity, a, catalog, mapped, options)] as const),
    ),
  }));
  return { version: 1, defaults: { naming, identity: options.identity ?? 'preserve' }, entities };
}
