// The per-batch work of the mapping stage. Per row: filter, then the entity's compiled row function
// (row-compile.ts: read, convert, resolve, mandatory check of every attribute) and nothing else.
// Remapped ids are collected over the whole batch, looked up with one IdMapStore call per referenced
// entity, then patched in.

import { FerryError, type RejectRecord, type Row, type Value } from '@ferry/core';
import type { CompiledAttribute, CompiledEntity } from './compiled-types.js';
import type { ConversionFailure } from './convert-types.js';
import type { MappingRuntime } from './mapping-runtime.js';
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
  /** A missing remapped id: reject the row, set NULL, or (own key in pass 2) drop it as filtered. */
  readonly onMissing: 'reject' | 'null' | 'filter';
}

interface Pending {
  readonly out: Record<string, Value>;
  readonly index: number;
  readonly step: Step;
  readonly value: string;
  readonly key: readonly string[];
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
    const remapVia = ownKey
      ? entity.name
      : reference?.kind === 'entity' && reference.remap
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
      onMissing: ownKey ? 'filter' : reference?.kind === 'entity' ? reference.onMissing : 'reject',
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
  const remapped = steps.filter((s) => s.remapVia !== undefined && !s.nullOnly);

  return async (rows) => {
    const out: Record<string, Value>[] = [];
    const keys: (readonly string[])[] | undefined = remembers ? [] : undefined;
    const rejects: RejectRecord[] = [];
    const pending: Pending[] = [];
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
      for (const step of remapped) {
        const value = mapped[step.target];
        if (value !== null && value !== undefined)
          pending.push({
            out: mapped,
            index: out.length,
            step,
            value: String(value),
            key: keyColumns.length === 0 ? [] : keyOf(row),
          });
      }
      keys?.push(keyOf(row));
      out.push(mapped);
    }
    if (pending.length === 0)
      return keys === undefined ? { rows: out, rejects, filtered } : { rows: out, keys, rejects, filtered };
    const dropped = await patchRemapped(pending, runtime, name, rejects);
    filtered += [...dropped.values()].filter((why) => why === 'filter').length;
    const kept = <T>(list: T[]): T[] => (dropped.size === 0 ? list : list.filter((_, i) => !dropped.has(i)));
    return keys === undefined
      ? { rows: kept(out), rejects, filtered }
      : { rows: kept(out), keys: kept(keys), rejects, filtered };
  };
}

/** Looks up every remapped id of a batch (one call per entity) and patches the rows in place. */
async function patchRemapped(
  pending: readonly Pending[],
  runtime: MappingRuntime,
  entity: string,
  rejects: RejectRecord[],
): Promise<Map<number, 'reject' | 'filter'>> {
  const idMap = runtime.idMap!;
  const byEntity = new Map<string, Set<string>>();
  for (const p of pending) {
    const via = p.step.remapVia!;
    let keys = byEntity.get(via);
    if (keys === undefined) byEntity.set(via, (keys = new Set()));
    keys.add(p.value);
  }
  const maps = new Map<string, ReadonlyMap<string, string>>();
  for (const [via, keys] of byEntity) maps.set(via, await idMap.get(via, [...keys]));
  const dropped = new Map<number, 'reject' | 'filter'>();
  for (const p of pending) {
    if (dropped.has(p.index)) continue;
    const target = maps.get(p.step.remapVia!)!.get(p.value);
    if (target !== undefined) {
      p.out[p.step.target] = target;
      continue;
    }
    runtime.stats?.add(entity, p.step.attribute.name, 'missing-remapped-id');
    if (p.step.onMissing === 'null' && p.step.nullable) {
      p.out[p.step.target] = null;
      continue;
    }
    dropped.set(p.index, p.step.onMissing === 'filter' ? 'filter' : 'reject');
    if (p.step.onMissing !== 'filter') {
      rejects.push({
        entity,
        key: p.key,
        attribute: p.step.attribute.name,
        rule: 'dangling-reference',
        message: `no id of ${p.step.remapVia!} is recorded for the referenced row`,
      });
    }
  }
  return dropped;
}
