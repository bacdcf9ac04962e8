// The OSSYS_* rows describing the sample model: modules, entities, attributes (types, lengths,
// `bt<module>*<entity>` reference codes, delete rules) and OrderStatus's static records.

import type { SampleAttribute, SampleEntity } from './o11-sample-model.js';
import { SAMPLE_MODULES, SAMPLE_ORDER_STATUSES, SAMPLE_USERS_ESPACE_ID } from './o11-sample-model.js';
import { seededGuid, seededModuleHash } from './o11-sample-random.js';

/** A sample module with its seed-dependent SS_KEY and physical-name hash. */
export interface ResolvedModule {
  readonly id: number;
  readonly name: string;
  readonly ssKey: string;
  readonly hash: string;
  readonly system: boolean;
}

/** A sample entity with its seed-dependent physical table and SS_KEY. */
export interface ResolvedEntity {
  readonly id: number;
  readonly qualifiedName: string;
  readonly entity: SampleEntity;
  readonly module: ResolvedModule;
  readonly ssKey: string;
  readonly table: string;
}

type MetaRow = Record<string, string | number | null>;

/** Modules with SS_KEYs and hashes for a seed. */
export function resolveModules(seed: number): ResolvedModule[] {
  return SAMPLE_MODULES.map((module, index) => ({
    id: index + 1,
    name: module.name,
    ssKey: seededGuid(seed, `module:${module.name}`),
    hash: seededModuleHash(seed, module.name),
    system: module.system,
  }));
}

/** Entities with physical tables for the resolved modules. */
export function resolveEntities(
  seed: number,
  modules: readonly ResolvedModule[],
  entities: readonly SampleEntity[],
): ResolvedEntity[] {
  return entities.map((entity, index) => {
    const module = modules.find((m) => m.name === entity.module)!;
    const table =
      entity.fixedTable ?? `${entity.prefix ?? 'OSUSR'}_${module.hash}_${entity.name.toUpperCase()}`;
    const qualifiedName = `${entity.module}.${entity.name}`;
    return {
      id: index + 1,
      qualifiedName,
      entity,
      module,
      ssKey: seededGuid(seed, `entity:${qualifiedName}`),
      table,
    };
  });
}

const attrKey = (seed: number, e: ResolvedEntity, a: SampleAttribute): string =>
  seededGuid(seed, `attr:${e.qualifiedName}.${a.name}`);

function typeCode(a: SampleAttribute, all: readonly ResolvedEntity[]): string {
  if (a.ref === undefined) return a.type;
  const target = all.find((e) => e.qualifiedName === a.ref)!;
  return `bt${a.refModuleSsKey ?? target.module.ssKey}*${target.ssKey}`;
}

/** OSSYS_ESPACE rows. */
export function espaceRows(modules: readonly ResolvedModule[]): MetaRow[] {
  return modules.map((m) => ({
    ID: m.id,
    NAME: m.name,
    SS_KEY: m.ssKey,
    IS_ACTIVE: 1,
    IS_SYSTEM: m.system ? 1 : 0,
    USER_PROVIDER_ESPACE_ID: SAMPLE_USERS_ESPACE_ID,
  }));
}

/** OSSYS_ENTITY rows. */
export function entityRows(seed: number, entities: readonly ResolvedEntity[]): MetaRow[] {
  return entities.map((e) => {
    const identifier = e.entity.attributes.find((a) => a.identifier === true);
    return {
      ID: e.id,
      NAME: e.entity.name,
      PHYSICAL_TABLE_NAME: e.table,
      ESPACE_ID: e.module.id,
      SS_KEY: e.ssKey,
      PRIMARYKEY_SS_KEY: identifier === undefined ? null : attrKey(seed, e, identifier),
      IS_ACTIVE: e.entity.active ? 1 : 0,
      IS_SYSTEM: e.entity.system ? 1 : 0,
      DATA_KIND: e.entity.dataKind,
    };
  });
}

/** OSSYS_ENTITY_ATTR rows. */
export function attributeRows(seed: number, entities: readonly ResolvedEntity[]): MetaRow[] {
  let id = 0;
  return entities.flatMap((e) =>
    e.entity.attributes.map((a) => ({
      ID: (id += 1),
      ENTITY_ID: e.id,
      NAME: a.name,
      SS_KEY: attrKey(seed, e, a),
      TYPE: typeCode(a, entities),
      LENGTH: a.length ?? 0,
      DECIMALS: a.decimals ?? 0,
      IS_MANDATORY: a.mandatory === true ? 1 : 0,
      IS_AUTONUMBER: a.autoNumber === true ? 1 : 0,
      DELETE_RULE: a.deleteRule ?? '',
      IS_ACTIVE: a.active === false ? 0 : 1,
    })),
  );
}

/** OSSYS_ENTITY_RECORD rows of the OrderStatus static entity. */
export function staticRecordRows(seed: number, entities: readonly ResolvedEntity[]): MetaRow[] {
  const status = entities.find((e) => e.qualifiedName === 'Sales.OrderStatus')!;
  return SAMPLE_ORDER_STATUSES.map((record, index) => ({
    ID: index + 1,
    DATA_ID: String(record.id),
    NAME: record.label,
    SS_KEY: seededGuid(seed, `record:${record.label}`),
    ENTITY_SS_KEY: status.ssKey,
    ESPACE_ID: status.module.id,
    IS_ACTIVE: record.active ? 1 : 0,
  }));
}
