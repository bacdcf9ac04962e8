// Synchronous reference resolvers, built once per stage: user ids through the in-memory UserMap and
// static record ids through the StaticRecordMap. Entity ids to remap are resolved per batch instead
// (see row-mapper.ts), through the IdMapStore.

import { FerryError, type Value } from '@ferry/core';
import type { CompiledAttribute } from './compiled-types.js';
import { ConversionFailure } from './convert-types.js';
import type { MappingRuntime } from './mapping-runtime.js';
import { EMPTY_GUID } from './user-map.js';

/** Turns a converted non-null reference value into the target's value, or a failure. */
export type Resolver = (value: Value) => Value | ConversionFailure;

function missing(entity: string, what: string, attribute: string): FerryError {
  return new FerryError(
    `mapping of ${entity} needs ${what} (attribute ${attribute}): pass it in the mapping runtime`,
    {
      code: 'FERRY_MAPPING_RUNTIME',
      reason: 'invalid-config',
      entity,
      attribute,
    },
  );
}

function userResolver(
  entity: string,
  attribute: CompiledAttribute,
  runtime: MappingRuntime,
  unmatched: string,
): Resolver {
  const users = runtime.users;
  if (users === undefined) throw missing(entity, 'a user map', attribute.name);
  const stats = runtime.stats;
  const failure = new ConversionFailure('unmatched-user', 'O11 user has no matching ODC user');
  return (value) => {
    const id = users.resolve(String(value));
    if (id !== undefined) return id;
    stats?.add(entity, attribute.name, 'unmatched-user');
    switch (unmatched) {
      case 'null':
        return null;
      case 'empty-guid':
        return EMPTY_GUID;
      case 'reject':
        return failure;
      default:
        throw new FerryError(
          `O11 user of ${entity}.${attribute.name} has no matching ODC user (users.unmatched is "fail")`,
          {
            code: 'FERRY_USER_UNMATCHED',
            reason: 'invalid-data',
            entity,
            attribute: attribute.name,
          },
        );
    }
  };
}

function staticResolver(
  entity: string,
  attribute: CompiledAttribute,
  runtime: MappingRuntime,
  target: string,
  by: 'id' | 'label',
): Resolver {
  const records = runtime.statics?.get(target);
  if (records === undefined) throw missing(entity, `the static records of ${target}`, attribute.name);
  const stats = runtime.stats;
  const unknown = new ConversionFailure(
    'dangling-reference',
    `no record of static entity ${target} has this id`,
  );
  const unmatched = new ConversionFailure(
    'unmatched-static-label',
    `the target has no record of ${target} with this label`,
  );
  // A mandatory reference cannot become NULL: its row is rejected, as ODC has no deleted record.
  const deleted =
    attribute.spec.mandatory === true
      ? new ConversionFailure(
          'deleted-static-record',
          `references a deleted (inactive) record of static entity ${target}, and the attribute is mandatory`,
        )
      : undefined;
  return (value) => {
    const result = records.resolve(String(value), by);
    switch (result.status) {
      case 'ok':
        return by === 'id' ? value : result.id;
      case 'deleted':
        if (deleted !== undefined) return deleted;
        stats?.add(entity, attribute.name, 'deleted-static-record');
        return null;
      case 'unknown':
        return unknown;
      default:
        return unmatched;
    }
  };
}

/** The synchronous resolver of an attribute, if it needs one. */
export function resolverFor(
  entity: string,
  attribute: CompiledAttribute,
  runtime: MappingRuntime,
): Resolver | undefined {
  const reference = attribute.reference;
  if (reference?.kind === 'user') return userResolver(entity, attribute, runtime, reference.unmatched);
  if (reference?.kind === 'static')
    return staticResolver(entity, attribute, runtime, reference.entity, reference.by);
  return undefined;
}
