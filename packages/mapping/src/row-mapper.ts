// The per-batch work of the mapping stage. Per row: filter, then the entity's compiled row function
// (row-compile.ts: read, convert, resolve, mandatory check of every attribute) and nothing else.
// References to other entities are collected over the whole batch and looked up once per referenced
// entity (parent-check.ts): remapped ids through the IdMapStore, kept ids against the target.

import { FerryError, type RejectRecord, type Row, type Value } from '@ferry/core';
import type { CompiledAttribute, CompiledEntity } from './compiled-types.js';
import type { ConversionFailure } from './convert-types.js';
import type { MappingRuntime } from './mapping-runtime.js';
import { resolveReferences, type PendingReference } from './parent-check.js';
import { resolverFor, type Resolver } from './reference-resolvers.js';
import { compileRow, RowFailure } from './row-compile.js';

/** The mapped rows of a batch, its rejects and how many rows the filters took out. */
export interface MappedRows {
  readonly rows: Row[];
  /** The O11 key of each row (identity `remap`, pass 1: the rows lose their key attribute). */
  readonly keys?: (readonly string[])[];
  readonly rejects: RejectRecord[];
  readonly filtered: number;
}

interface Step {
  readonly attribute: CompiledAttribute;
  readonly column: string;
  readonly target: string;
  readonly read: ((row: Row) => Value) | undefined;
  readonly convert: CompiledAttribute['convert'];
  readonly resolve: Resolver | undefined;
  readonly nullable: boolean;
  /** Pass 1 of a cyclic reference: always NULL. */
  readonly nullOnly: boolean;
  /** Entity whose id map translates this value (remapped references, own key in pass 2). */
  readonly remapVia: string | undefined;
  /** Entity whose target must hold the referenced row (ids kept, `runtime.parents` given). */
  readonly checkVia: string | undefined;
  /** A parent not found: reject the row, set NULL, keep the id, or (own key in pass 2) filter it. */
  readonly onMissing: 'reject' | 'null' | 'keep' | 'filter';
}

function stepsFor(entity: CompiledEntity, runtime: MappingRuntime): Step[] {
  const pass = runtime.pass ?? 1;
  const remapOwn = entity.identity === 'remap';
  const chosen =
    pass === 1
      ? entity.attributes.filter((a) => !(remapOwn && a.isKey))
      : [...entity.key, ...entity.deferred];
  return chosen.map((attribute) => {
    const reference = attribute.reference;
    const ownKey = pass === 2 && attribute.isKey && remapOwn;
    // Pass 2 updates only rows pass 1 wrote: a row rejected there is not in the target, so its own
    // key is looked up too and the row filtered (its reject is recorded once, by pass 1).
    const ownRow =
      pass === 2 && attribute.isKey && !remapOwn && entity.key.length === 1 && reference === undefined;
    const remapVia = ownKey
      ? entity.name
      : reference?.kind === 'entity' && reference.remap
        ? reference.entity
        : undefined;
    const checkVia =
      runtime.parents === undefined
        ? undefined
        : ownRow
          ? entity.name
          : reference?.kind === 'entity' && !reference.remap
            ? reference.entity
            : undefined;
    return {
      attribute,
      column: attribute.column,
      target: attribute.target,
      read: attribute.read,
      convert: attribute.convert,
      resolve: resolverFor(entity.name, attribute, runtime),
      nullable: attribute.nullable,
      nullOnly: pass === 1 && attribute.deferred,
      remapVia,
      checkVia,
      onMissing: ownKey || ownRow ? 'filter' : reference?.kind === 'entity' ? reference.onMissing : 'reject',
    };
  });
}

/** Builds the batch mapper of one entity and pass. Throws when the runtime lacks a needed service. */
export function createRowMapper(
  entity: CompiledEntity,
  runtime: MappingRuntime,
): (rows: readonly Row[]) => Promise<MappedRows> {
  const steps = stepsFor(entity, runtime);
  const pass = runtime.pass ?? 1;
  const { filter, name } = entity;
  const keyColumns = entity.key.map((k) => k.column);
  const keyOf = (row: Row): string[] => keyColumns.map((c) => String(row[c]));
  const remembers = pass === 1 && entity.identity === 'remap';
  const deferredTargets = entity.deferred.map((d) => d.target);
  const reject = (
    rejects: RejectRecord[],
    key: readonly string[],
    attribute: string,
    failure: ConversionFailure,
  ): void => {
    rejects.push({ entity: name, key, attribute, rule: failure.rule, message: failure.message });
  };
  if (steps.some((s) => s.remapVia !== undefined) && runtime.idMap === undefined) {
    throw new FerryError(`mapping of ${name} remaps ids: pass an idMap in the mapping runtime`, {
      code: 'FERRY_MAPPING_RUNTIME',
      reason: 'invalid-config',
      entity: name,
    });
  }

  const mapRow = compileRow(steps);
  const looked = steps.filter((s) => (s.remapVia !== undefined || s.checkVia !== undefined) && !s.nullOnly);

  return async (rows) => {
    const out: Record<string, Value>[] = [];
    const keys: (readonly string[])[] | undefined = remembers ? [] : undefined;
    const rejects: RejectRecord[] = [];
    const pending: PendingReference[] = [];
    let filtered = 0;
    for (const row of rows) {
      if (filter !== undefined && !filter(row)) {
        filtered++;
        continue;
      }
      const mapped = mapRow(row);
      if (mapped instanceof RowFailure) {
        reject(rejects, keyOf(row), steps[mapped.step]!.attribute.name, mapped.failure);
        continue;
      }
      if (pass === 2 && deferredTargets.every((t) => mapped[t] === null)) {
        filtered++;
        continue;
      }
      for (const step of looked) {
        const value = mapped[step.target];
        if (value !== null && value !== undefined)
          pending.push({
            out: mapped,
            index: out.length,
            attribute: step.attribute,
            remapVia: step.remapVia,
            checkVia: step.checkVia,
            onMissing: step.onMissing,
            value: String(value),
            key: keyColumns.length === 0 ? [] : keyOf(row),
          });
      }
      keys?.push(keyOf(row));
      out.push(mapped);
    }
    if (pending.length === 0)
      return keys === undefined ? { rows: out, rejects, filtered } : { rows: out, keys, rejects, filtered };
    const dropped = await resolveReferences(pending, runtime, name, rejects);
    filtered += [...dropped.values()].filter((why) => why === 'filter').length;
    const kept = <T>(list: T[]): T[] => (dropped.size === 0 ? list : list.filter((_, i) => !dropped.has(i)));
    return keys === undefined
      ? { rows: kept(out), rejects, filtered }
      : { rows: kept(out), keys: kept(keys), rejects, filtered };
  };
}
