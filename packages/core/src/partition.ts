// Key-range partitions: one table read and written as several streams, each over its own key range
// with its own checkpoint. A partition's id (`Sales.Order[2/4]`) is stable for the whole run because
// the ranges are persisted with the run's checkpoints the first time the run is planned.

/**
 * A range of keys: every key strictly after `after` and up to and including `upTo`, compared the way
 * the source orders its keys. An absent bound is open. Key parts are strings, as in a `KeyPosition`,
 * so 64-bit and decimal keys stay exact.
 */
export interface KeyRange {
  readonly after?: readonly string[] | undefined;
  readonly upTo?: readonly string[] | undefined;
}

/** Which partition of which entity a pipeline is (informational: status, reports, progress). */
export interface PartitionInfo {
  /** The pipeline name of the whole entity, e.g. `Sales.Order` or `Sales.Order#pass2`. */
  readonly of: string;
  /** 1-based position of the range in key order. */
  readonly index: number;
  readonly count: number;
  readonly range: KeyRange;
}

const ID = /^(.+)\[(\d+)\/(\d+)\]$/;

/** The pipeline name (and checkpoint key) of partition `index` of `count` of `entity`: `Sales.Order[2/4]`. */
export function partitionId(entity: string, index: number, count: number): string {
  return `${entity}[${index}/${count}]`;
}

/** The entity, index and count of a partition id, or `undefined` when `name` is not one. */
export function parsePartitionId(
  name: string,
): { readonly of: string; readonly index: number; readonly count: number } | undefined {
  const match = ID.exec(name);
  if (match === null) return undefined;
  return { of: match[1]!, index: Number(match[2]), count: Number(match[3]) };
}

/** The checkpoint key under which a run keeps an entity's ranges: `Sales.Order[partitions]`. */
export function partitionLayoutId(entity: string): string {
  return `${entity}[partitions]`;
}

/** Whether a checkpoint key is a persisted partition layout rather than a pipeline's progress. */
export function isPartitionLayoutId(name: string): boolean {
  return name.endsWith('[partitions]');
}
