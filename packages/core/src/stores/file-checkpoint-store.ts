// A crash-safe checkpoint store on the local file system: one pretty-printed JSON file per run, replaced
// atomically (write a temp file, fsync it, rename it over the old one, fsync the folder), so a crash at
// any instant leaves either the previous or the new file, never a torn one.

import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import { isCheckpointNewer } from '../checkpoint.js';
import { FerryError } from '../errors.js';
import { parseRunFile, type RunFile } from './run-file.js';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Checkpoints as human-readable JSON files, `<dir>/<runId>.json`. Saves within one process are
 * serialised per run; one process at a time should own a run (the CLI's run lock). The files hold only
 * what a {@link Checkpoint} holds: positions and counters, never credentials or row values.
 *
 * @example
 * ```ts
 * const checkpoints = new FileCheckpointStore('.ferry/checkpoints');
 * ```
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly #dir: string;
  readonly #queues = new Map<string, Promise<void>>();

  /** @param dir The folder for the run files; created on the first save. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  async load(runId: string, entity: string): Promise<Checkpoint | undefined> {
    const file = await this.#read(runId);
    return file?.entities[entity];
  }

  save(checkpoint: Checkpoint): Promise<void> {
    return this.#serial(checkpoint.runId, async () => {
      const file = (await this.#read(checkpoint.runId)) ?? {
        version: 1,
        runId: checkpoint.runId,
        entities: {},
      };
      if (!isCheckpointNewer(file.entities[checkpoint.entity], checkpoint)) return;
      const next: RunFile = { ...file, entities: { ...file.entities, [checkpoint.entity]: checkpoint } };
      await this.#write(checkpoint.runId, next);
    });
  }

  async list(runId: string): Promise<readonly Checkpoint[]> {
    const file = await this.#read(runId);
    return file === undefined ? [] : Object.values(file.entities);
  }

  delete(runId: string): Promise<void> {
    return this.#serial(runId, async () => {
      await rm(this.#path(runId), { force: true });
      const prefix = `${runId}.json.`;
      const names = await readdir(this.#dir).catch(() => [] as string[]);
      await Promise.all(
        names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(this.#dir, n), { force: true })),
      );
    });
  }

  #path(runId: string): string {
    if (!RUN_ID.test(runId)) {
      throw new FerryError(
        `run id "${runId.slice(0, 60)}" is not usable as a file name: use letters, digits, '.', '_' and '-'`,
        { code: 'FERRY_CHECKPOINT_RUN_ID', reason: 'invalid-config', operation: 'checkpoint' },
      );
    }
    return join(this.#dir, `${runId}.json`);
  }

  async #read(runId: string): Promise<RunFile | undefined> {
    const path = this.#path(runId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`cannot read checkpoint file ${path}`, error);
    }
    return parseRunFile(text, path);
  }

  async #write(runId: string, file: RunFile): Promise<void> {
    const path = this.#path(runId);
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(this.#dir, { recursive: true });
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
      await syncDir(this.#dir);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw storeError(`cannot save checkpoint file ${path}`, error);
    }
  }

  #serial(runId: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#queues.get(runId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.#queues.set(runId, settled);
    void settled.then(() => {
      if (this.#queues.get(runId) === settled) this.#queues.delete(runId);
    });
    return next;
  }
}

/** fsync a folder so a rename in it survives a power loss (a no-op where folders cannot be opened). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}

function storeError(message: string, cause: unknown): FerryError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const transient = code === 'EAGAIN' || code === 'EBUSY' || code === 'EMFILE' || code === 'ENFILE';
  return new FerryError(`${message}: ${code ?? 'unknown error'}`, {
    code: 'FERRY_CHECKPOINT_FILE',
    reason: transient ? 'timeout' : 'unknown',
    cause,
    operation: 'checkpoint',
  });
}
