// The mapping a command works with: the config's mapping file (parsed and checked) or, without one,
// the default mapping generated from the discovered catalog; then the config's schema override and
// the code config's mapping hook.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FerryError } from '@ferry/core';
import { generateMapping, parseMapping, snakeCase } from '@ferry/mapping';
import type { EntitySpec, MappingSpec, O11Catalog } from '@ferry/mapping';
import type { LoadedConfig } from '../config/load-config.js';
import { kinds } from '../kinds/kinds.js';

/** Reads the mapping file named by the config. */
export async function readMappingFile(loaded: LoadedConfig): Promise<MappingSpec> {
  const path = resolve(loaded.baseDir, loaded.config.mapping!);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FerryError(`cannot read mapping file ${loaded.config.mapping!}: run \`ferry discover\` first`, {
      code: 'FERRY_MAPPING_MISSING',
      reason: 'invalid-config',
      operation: 'mapping.read',
      cause,
    });
  }
  return parseMapping(text);
}

/** Moves every entity's target into `schema`. */
export function withTargetSchema(spec: MappingSpec, schema: string | undefined): MappingSpec {
  if (schema === undefined) return spec;
  const asIs = spec.defaults?.naming === 'as-is';
  const retarget = (entity: EntitySpec): EntitySpec => {
    const target = entity.target;
    const table = 'table' in target ? target.table : asIs ? target.entity : snakeCase(target.entity);
    return { ...entity, target: { schema, table } };
  };
  return { ...spec, entities: spec.entities.map(retarget) };
}

/** The mapping of a config: file or generated, retargeted, passed through the hook. */
export async function loadMapping(
  loaded: LoadedConfig,
  catalog: () => Promise<O11Catalog>,
): Promise<MappingSpec> {
  const { config } = loaded;
  const modules = kinds.sourceOf(config.source).modules?.(config.source);
  const base =
    config.mapping === undefined
      ? generateMapping(await catalog(), modules === undefined ? {} : { modules })
      : await readMappingFile(loaded);
  const schema = kinds.targetOf(config.target).schemaOverride?.(config.target);
  const users = config.users;
  const withUsers: MappingSpec =
    users?.unmatched === undefined && users?.match === undefined
      ? base
      : {
          ...base,
          users: {
            ...base.users,
            ...(users.match === undefined ? {} : { match: users.match }),
            ...(users.usernamePrefix === undefined ? {} : { usernamePrefix: users.usernamePrefix }),
            ...(users.unmatched === undefined ? {} : { unmatched: users.unmatched }),
          },
        };
  const spec = withTargetSchema(withUsers, schema);
  return loaded.hooks.mapping === undefined ? spec : await loaded.hooks.mapping(spec);
}
