// A reject file: one JSON record per line, appended and fsynced before `write` resolves, so a reject is
// durable before the checkpoint that covers its batch is saved. Records carry no row values.

import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '../errors.js';
import type { RejectRecord, RejectSink } from '../reject.js';

/**
 * Appends reject records to an NDJSON file (created with its folder when missing). A resumed run appends
 * to the same file; records of a batch re-read after a crash may then appear twice (at-least-once).
 *
 * @example
 * ```ts
 * const rejects = new NdjsonFileRejectSink('.ferry/runs/migration-1.rejects.ndjson');
 * ```
 */
export class NdjsonFileRejectSink implements RejectSink {
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;
  #chain: Promise<void> = Promise.resolve();

  /** @param path The NDJSON file. */
  constructor(path: string) {
    this.#path = path;
  }

  write(records: readonly RejectRecord[]): Promise<void> {
    if (records.length === 0) return this.#chain;
    const text = records.map((record) => JSON.stringify(record)).join('\n') + '\n';
    const next = this.#chain.then(async () => {
      try {
        const handle = await this.#open();
        await handle.appendFile(text, 'utf8');
        await handle.sync();
      } catch (error) {
        this.#handle = undefined;
        throw new FerryError(`cannot append rejects to ${this.#path}`, {
          code: 'FERRY_REJECTS_FILE',
          reason: 'unknown',
          cause: error,
          operation: 'rejects.write',
        });
      }
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.#chain;
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }

  #open(): Promise<FileHandle> {
    this.#handle ??= mkdir(dirname(this.#path), { recursive: true }).then(() => open(this.#path, 'a', 0o600));
    return this.#handle;
  }
}
