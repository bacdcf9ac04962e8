// Small hand-written fakes for the mapping tests: an in-memory IdMapStore that counts its calls, and
// a helper that runs one batch through a mapping stage.
import type { Batch, IdMapStore, Row } from '@ferry/core';
import { mappingStage, type CompiledEntity, type MappingRuntime } from '@ferry/mapping';

/** An in-memory id map that counts `get` calls per entity. */
export class MemoryIdMap implements IdMapStore {
  readonly maps = new Map<string, Map<string, string>>();
  readonly calls: string[] = [];

  async get(entity: string, sourceKeys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    this.calls.push(entity);
    const map = this.maps.get(entity) ?? new Map<string, string>();
    return new Map(sourceKeys.flatMap((k) => (map.has(k) ? [[k, map.get(k)!] as const] : [])));
  }

  async put(entity: string, pairs: readonly (readonly [string, string])[]): Promise<void> {
    let map = this.maps.get(entity);
    if (map === undefined) this.maps.set(entity, (map = new Map<string, string>()));
    for (const [s, t] of pairs) map.set(s, t);
  }
}

/** Runs rows (as one or more batches) through the mapping stage of an entity; returns every output batch. */
export async function runStage(
  entity: CompiledEntity,
  runtime: MappingRuntime,
  ...batches: Row[][]
): Promise<Batch[]> {
  async function* input(): AsyncIterable<Batch> {
    let n = 0;
    for (const rows of batches) yield { rows, position: { key: [String(++n)] }, rowsRead: rows.length };
  }
  const out: Batch[] = [];
  const context = { entity: entity.name, signal: new AbortController().signal };
  for await (const batch of mappingStage(entity, runtime)(input(), context)) out.push(batch);
  return out;
}
