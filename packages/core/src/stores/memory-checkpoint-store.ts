// An in-memory checkpoint store: for tests, dry runs and one-shot migrations where resuming after a
// process crash is not needed. Same monotonic rule as every store.

import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import { isCheckpointNewer } from '../checkpoint.js';

/**
 * Keeps checkpoints in a map, per run id and entity. Saves are monotonic ({@link isCheckpointNewer}).
 * Stored checkpoints are frozen copies, so callers cannot change them afterwards.
 *
 * @example
 * ```ts
 * const checkpoints = new MemoryCheckpointStore();
 * await run(plan, { runId: 'test', checkpoints });
 * ```
 */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly #runs = new Map<string, Map<string, Checkpoint>>();

  load(runId: string, entity: string): Promise<Checkpoint | undefined> {
    return Promise.resolve(this.#runs.get(runId)?.get(entity));
  }

  save(checkpoint: Checkpoint): Promise<void> {
    let entities = this.#runs.get(checkpoint.runId);
    if (entities === undefined) {
      entities = new Map();
      this.#runs.set(checkpoint.runId, entities);
    }
    if (isCheckpointNewer(entities.get(checkpoint.entity), checkpoint)) {
      entities.set(checkpoint.entity, Object.freeze({ ...checkpoint }));
    }
    return Promise.resolve();
  }

  list(runId: string): Promise<readonly Checkpoint[]> {
    return Promise.resolve([...(this.#runs.get(runId)?.values() ?? [])]);
  }

  delete(runId: string): Promise<void> {
    this.#runs.delete(runId);
    return Promise.resolve();
  }
}
