// O11 catalog discovery: turns the OSSYS_* metadata into an O11Catalog (modules, entities with
// physical tables, identifiers, typed attributes, references with their targets, static records).
// Works over any knex connection, SQL Server included (knex `mssql` client, schema `dbo`).

import type { Knex } from 'knex';
import type { O11Attribute, O11Catalog, O11Entity, O11Module } from '@ferry/mapping';
import { flag, readO11Metadata, text } from './o11-metadata-read.js';
import type { O11Metadata } from './o11-metadata-read.js';
import { buildAttribute, buildStaticRecords, keyOf } from './o11-catalog-parts.js';
import { readCatalogDatabases } from './o11-db-catalog.js';
import type { RawEntity } from './o11-catalog-parts.js';

/** Options of {@link discoverO11Catalog}. */
export interface DiscoverO11Options {
  /** Only these modules (names, case-insensitive). Default: every non-system module. */
  readonly modules?: readonly string[] | undefined;
  /** List deleted (inactive) modules, entities and attributes too, flagged `isActive: false`. Default false. */
  readonly includeInactive?: boolean | undefined;
  /** Include system modules (ServiceCenter: User, ...). Default false. */
  readonly includeSystem?: boolean | undefined;
  /** Schema of the OSSYS_* tables, e.g. `dbo` on SQL Server. */
  readonly schema?: string | undefined;
}

function toModule(raw: Record<string, unknown>): O11Module {
  return {
    id: text(raw.ID),
    name: text(raw.NAME),
    ssKey: text(raw.SS_KEY).toLowerCase(),
    isActive: flag(raw.IS_ACTIVE),
    isSystem: flag(raw.IS_SYSTEM),
  };
}

function rawEntities(metadata: O11Metadata, modules: ReadonlyMap<string, O11Module>): RawEntity[] {
  return metadata.entities.flatMap((raw) => {
    const module = modules.get(text(raw.ESPACE_ID));
    if (module === undefined) return [];
    return [
      {
        raw,
        module,
        qualifiedName: `${module.name}.${text(raw.NAME)}`,
        ssKey: text(raw.SS_KEY).toLowerCase(),
      },
    ];
  });
}

function wanted(entity: RawEntity, options: DiscoverO11Options): boolean {
  const filter = options.modules?.map((name) => name.toLowerCase());
  if (filter !== undefined && !filter.includes(entity.module.name.toLowerCase())) return false;
  const system = entity.module.isSystem || flag(entity.raw.IS_SYSTEM);
  if (system && options.includeSystem !== true && filter === undefined) return false;
  // BPT event tables are platform plumbing: never migrated, never listed.
  if (text(entity.raw.PHYSICAL_TABLE_NAME).toUpperCase().startsWith('OSEVT_')) return false;
  const active = entity.module.isActive && flag(entity.raw.IS_ACTIVE);
  return active || options.includeInactive === true;
}

/**
 * Reads the O11 catalog from the OSSYS_* metadata tables over any knex connection. By default it
 * returns the active model of every non-system module; `includeInactive` adds deleted entities and
 * attributes flagged `isActive: false`. Static records are always listed with their own flag, since
 * rows may still point at a deleted record. OSSYS_USER's PASSWORD column is never selected, and the
 * User entity's Password attribute is left out of the catalog.
 *
 * @example
 * ```ts
 * const catalog = await discoverO11Catalog(db, { modules: ['Sales'] });
 * for (const entity of catalog.entities) console.log(entity.qualifiedName, entity.physicalTable);
 * ```
 */
export async function discoverO11Catalog(knex: Knex, options: DiscoverO11Options = {}): Promise<O11Catalog> {
  const metadata = await readO11Metadata(knex, options);
  const databases = await readCatalogDatabases(knex, options);
  const modules = new Map(metadata.modules.map((raw) => [text(raw.ID), toModule(raw)]));
  const all = rawEntities(metadata, modules);
  const byKey = new Map(all.map((entity) => [keyOf(entity.module.ssKey, entity.ssKey), entity]));
  const byEntityKey = new Map<string, RawEntity[]>();
  for (const entity of all) byEntityKey.set(entity.ssKey, [...(byEntityKey.get(entity.ssKey) ?? []), entity]);
  const included = all.filter((entity) => wanted(entity, options));
  const includedNames = new Set(included.map((entity) => entity.qualifiedName));
  const attributesOf = new Map<string, Record<string, unknown>[]>();
  for (const attribute of metadata.attributes) {
    const list = attributesOf.get(text(attribute.ENTITY_ID)) ?? [];
    list.push(attribute);
    attributesOf.set(text(attribute.ENTITY_ID), list);
  }
  const context = { byKey, byEntityKey, attributesOf, includedNames };
  const entities = included.map((entity): O11Entity => {
    const attributes = (attributesOf.get(text(entity.raw.ID)) ?? [])
      .map((raw) => buildAttribute(raw, entity, context))
      .filter((a): a is O11Attribute => a !== undefined && (a.isActive || options.includeInactive === true));
    const identifier = attributes.find((a) => a.isIdentifier)?.name;
    const dataKind = text(entity.raw.DATA_KIND);
    const staticRecords = buildStaticRecords(metadata.records, entity);
    const database = databases.get(entity.module.id);
    return {
      id: text(entity.raw.ID),
      name: text(entity.raw.NAME),
      qualifiedName: entity.qualifiedName,
      module: entity.module.name,
      moduleSsKey: entity.module.ssKey,
      ssKey: entity.ssKey,
      physicalTable: text(entity.raw.PHYSICAL_TABLE_NAME),
      ...(database === undefined ? {} : { database }),
      dataKind: dataKind === 'staticEntity' || dataKind === 'clientEntity' ? dataKind : 'entity',
      isActive: entity.module.isActive && flag(entity.raw.IS_ACTIVE),
      isSystem: entity.module.isSystem || flag(entity.raw.IS_SYSTEM),
      ...(identifier === undefined ? {} : { identifier }),
      attributes,
      ...(staticRecords.length > 0 || dataKind === 'staticEntity' ? { staticRecords } : {}),
    };
  });
  const moduleIds = new Set(included.map((entity) => entity.module.id));
  return {
    modules: [...modules.values()].filter((m) => moduleIds.has(m.id)),
    entities,
    tenants: metadata.tenants.map((raw) => ({ id: text(raw.ID), name: text(raw.NAME) })),
    userCount: metadata.userCount,
  };
}
