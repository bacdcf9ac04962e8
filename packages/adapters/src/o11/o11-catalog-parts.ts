// Pieces of catalog discovery: one attribute (type, length, identifier, reference target, user
// reference) and one entity's static records, from normalised metadata rows.

import type { O11Attribute, O11BasicType, O11Module, O11Reference, O11StaticRecord } from '@ferry/mapping';
import { flag, text } from './o11-metadata-read.js';
import { isBasicType, parseDeleteRule, parseReferenceCode } from './o11-type-code.js';

/** An OSSYS_ENTITY row with its module. */
export interface RawEntity {
  readonly raw: Record<string, unknown>;
  readonly module: O11Module;
  readonly qualifiedName: string;
  readonly ssKey: string;
}

/** What building an attribute needs to know about the other entities. */
export interface AttributeContext {
  readonly byKey: ReadonlyMap<string, RawEntity>;
  /** Every entity by its own SS_KEY alone (several when modules were cloned). */
  readonly byEntityKey: ReadonlyMap<string, readonly RawEntity[]>;
  readonly attributesOf: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  readonly includedNames: ReadonlySet<string>;
}

/** SS_KEYs are unique only together with their module's SS_KEY. */
export const keyOf = (moduleSsKey: string, entitySsKey: string): string => `${moduleSsKey}*${entitySsKey}`;

const isUserEntity = (entity: RawEntity): boolean =>
  text(entity.raw.PHYSICAL_TABLE_NAME).toUpperCase() === 'OSSYS_USER' ||
  (entity.module.name === 'ServiceCenter' && text(entity.raw.NAME) === 'User');

/** The type of an entity's identifier attribute; `undefined` when its metadata does not say. */
function knownIdentifierType(target: RawEntity, context: AttributeContext): O11BasicType | undefined {
  const pk = text(target.raw.PRIMARYKEY_SS_KEY).toLowerCase();
  const attribute = context.attributesOf
    .get(text(target.raw.ID))
    ?.find((a) => text(a.SS_KEY).toLowerCase() === pk);
  const code = attribute === undefined ? '' : text(attribute.TYPE);
  return isBasicType(code) ? code : undefined;
}

function identifierType(target: RawEntity, context: AttributeContext): O11BasicType {
  return knownIdentifierType(target, context) ?? 'rtInteger';
}

type Resolved = { readonly target: RawEntity } | { readonly candidates: readonly RawEntity[] };

/**
 * The entity a reference code points at. The code's module SS_KEY may be another module's (OutSystems'
 * data-migration guide shows such codes; a cloned module keeps its entities' SS_KEYs). The exact module
 * and entity pair first; failing that, the entity SS_KEY decides: an entity of the attribute's own
 * module, else the one entity (or the one active entity) of the database with that SS_KEY.
 */
function resolveTarget(
  codes: { moduleSsKey: string; entitySsKey: string },
  owner: RawEntity,
  context: AttributeContext,
): Resolved {
  const candidates = context.byEntityKey.get(codes.entitySsKey) ?? [];
  const own = candidates.find((c) => c.module.id === owner.module.id);
  const exact = context.byKey.get(keyOf(codes.moduleSsKey, codes.entitySsKey));
  const active = candidates.filter((c) => c.module.isActive && flag(c.raw.IS_ACTIVE));
  const unique = candidates.length === 1 ? candidates[0] : active.length === 1 ? active[0] : undefined;
  const target = exact ?? own ?? unique;
  return target === undefined ? { candidates } : { target };
}

function reference(
  code: string,
  owner: RawEntity,
  context: AttributeContext,
): { reference: O11Reference; type: O11BasicType } | undefined {
  const parsed = parseReferenceCode(code);
  if (parsed === undefined) return undefined;
  const resolved = resolveTarget(parsed, owner, context);
  if (!('target' in resolved)) {
    // Outside this database (type assumed Integer), or ambiguous: the candidates' identifier type when
    // those whose metadata says it agree on it (`check` reports candidates that differ), and their
    // names for the warning.
    const types = new Set(resolved.candidates.flatMap((c) => knownIdentifierType(c, context) ?? []));
    const names = resolved.candidates.map((c) => c.qualifiedName).sort();
    return {
      reference: { kind: 'entity', ...parsed, ...(names.length > 0 ? { candidates: names } : {}) },
      type: types.size === 1 ? [...types][0]! : 'rtInteger',
    };
  }
  const target = resolved.target;
  const kind = isUserEntity(target) ? 'user' : 'entity';
  const named = context.includedNames.has(target.qualifiedName) ? { target: target.qualifiedName } : {};
  return { reference: { kind, ...parsed, ...named }, type: identifierType(target, context) };
}

const LENGTH_TYPES: ReadonlySet<O11BasicType> = new Set([
  'rtText',
  'rtEmail',
  'rtPhoneNumber',
  'rtDecimal',
  'rtCurrency',
]);

/** One attribute; `undefined` for the User entity's Password, which Ferry never lists nor reads. */
export function buildAttribute(
  raw: Record<string, unknown>,
  entity: RawEntity,
  context: AttributeContext,
): O11Attribute | undefined {
  const name = text(raw.NAME);
  if (isUserEntity(entity) && name.toLowerCase() === 'password') return undefined;
  const typeCode = text(raw.TYPE);
  const ref = reference(typeCode, entity, context);
  // Unknown codes (future basic types) are read as text; typeCode keeps the original.
  const type: O11BasicType = ref?.type ?? (isBasicType(typeCode) ? typeCode : 'rtText');
  const length = Number(raw.LENGTH ?? 0);
  const decimals = Number(raw.DECIMALS ?? 0);
  const deleteRule = ref === undefined ? undefined : parseDeleteRule(text(raw.DELETE_RULE));
  const ssKey = text(raw.SS_KEY).toLowerCase();
  return {
    name,
    column: name.toUpperCase(),
    ssKey,
    typeCode,
    type,
    ...(ref === undefined && LENGTH_TYPES.has(type) && length > 0 ? { length } : {}),
    ...(ref === undefined && (type === 'rtDecimal' || type === 'rtCurrency') ? { decimals } : {}),
    isMandatory: flag(raw.IS_MANDATORY),
    isAutoNumber: flag(raw.IS_AUTONUMBER),
    isIdentifier: ssKey !== '' && ssKey === text(entity.raw.PRIMARYKEY_SS_KEY).toLowerCase(),
    isActive: flag(raw.IS_ACTIVE),
    ...(deleteRule === undefined ? {} : { deleteRule }),
    ...(ref === undefined ? {} : { reference: ref.reference }),
  };
}

/** The static records of an entity (OSSYS_ENTITY_RECORD rows of its module and SS_KEY), active or not. */
export function buildStaticRecords(
  records: readonly Record<string, unknown>[],
  entity: RawEntity,
): O11StaticRecord[] {
  return records
    .filter(
      (r) => text(r.ENTITY_SS_KEY).toLowerCase() === entity.ssKey && text(r.ESPACE_ID) === entity.module.id,
    )
    .map((r) => ({
      name: text(r.NAME),
      ssKey: text(r.SS_KEY).toLowerCase(),
      dataId: text(r.DATA_ID),
      isActive: flag(r.IS_ACTIVE),
    }));
}
