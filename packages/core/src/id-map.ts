// Id maps: old (O11) key to new (target) key per entity, for remapped identities. Implementations
// persist beside the checkpoint so a resumed run reuses the ids it already assigned.

/**
 * Maps source keys to target keys for one run. Keys are strings so BIGINT and text keys stay exact.
 */
export interface IdMapStore {
  /** The target keys known for these source keys; unknown keys are absent from the result. */
  get(entity: string, sourceKeys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Record source-to-target pairs; re-recording the same pair is a no-op. */
  put(entity: string, pairs: readonly (readonly [sourceKey: string, targetKey: string])[]): Promise<void>;
}
