// `source.kind: "json"`: a folder of JSON export files, one `<Module>.<Entity>.json` or `.ndjson` per
// entity. The files carry no O11 catalog, so the mapping file is required and the catalog the
// migration locates sources by is drawn from it; user references are all unmatched (no OSSYS_USER).

import type { CompiledMapping, O11Catalog, O11Entity } from '@ferry/mapping';
import type { SourceKind } from '../../kind-types.js';

/** A folder of JSON export files. */
export interface JsonSourceConfig {
  readonly kind: 'json';
  /** A folder with one `<Module>.<Entity>.json` or `.ndjson` file per entity. */
  readonly dir: string;
}

/**
 * A catalog with one entry per mapped `{ module, entity }` source, its "physical table" being the
 * mapping name: enough for `migrationSource` to hand the name to a file factory. No static records.
 */
export function catalogFromMapping(compiled: CompiledMapping): O11Catalog {
  const entities: O11Entity[] = [];
  for (const entity of compiled.entities) {
    const source = entity.spec.source;
    if (!('module' in source)) continue;
    entities.push({
      id: entity.name,
      name: source.entity,
      qualifiedName: `${source.module}.${source.entity}`,
      module: source.module,
      moduleSsKey: source.module,
      ssKey: entity.name,
      physicalTable: entity.name,
      dataKind: 'entity',
      isActive: true,
      isSystem: false,
      attributes: [],
    });
  }
  return { modules: [], entities };
}

/** The JSON export files source kind. */
export const jsonSource: SourceKind<JsonSourceConfig> = {
  kind: 'json',
  describe: 'JSON export files, one <Module>.<Entity>.json or .ndjson per entity (needs a mapping file)',
  schema: {
    additionalProperties: false,
    required: ['kind', 'dir'],
    properties: { kind: { const: 'json' }, dir: { type: 'string', minLength: 1 } },
  },
  commands: [],
  noCatalog: 'JSON files carry no O11 catalog to generate one from',
  async parts(session, config) {
    const { jsonEntitySource } = await import('@ferry/adapters/json');
    const dir = session.path(config.dir);
    return {
      // Each mapped entity reads `<dir>/<entity name>.json|.ndjson`; a missing file fails here, at planning.
      source: { factory: (spec) => jsonEntitySource({ dir, entity: spec.name }) },
      catalog: catalogFromMapping(await session.compiled()),
    };
  },
  // Every entity's file must exist (FERRY_SOURCE_JSON_MISSING names the entity and both file names).
  async refuse(session, config, entities) {
    const { jsonEntityFile } = await import('@ferry/adapters/json');
    for (const entity of entities) jsonEntityFile(session.path(config.dir), entity.name);
  },
};
