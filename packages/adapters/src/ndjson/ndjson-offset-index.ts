// The sidecar index of an NDJSON export: one `sequence offset` line per acknowledged batch, written
// after the data is fsynced. On resume the data file is cut back to the offset after the checkpoint's
// batch, so rows written after the last saved checkpoint are not written twice.

import { FerryError } from '@ferry/core';
import type { FileHandle } from 'node:fs/promises';

/** Where the data file ended after each batch sequence. */
export class NdjsonOffsetIndex {
  readonly #entries: { readonly sequence: number; readonly offset: number }[] = [];

  /** Parse the sidecar's text. Only newline-terminated lines count: a torn last line is ignored. */
  static parse(text: string): NdjsonOffsetIndex {
    const index = new NdjsonOffsetIndex();
    const lines = text.split('\n');
    lines.pop(); // '' after the last newline, or a line torn by a crash mid-append
    for (const line of lines) {
      const [sequence, offset, extra] = line.split(' ').map(Number);
      if (Number.isSafeInteger(sequence) && Number.isSafeInteger(offset) && extra === undefined) {
        index.#entries.push({ sequence: sequence!, offset: offset! });
      }
    }
    return index;
  }

  /** The data offset after batch `sequence` (0 for none), or a `not-found` error when unknown. */
  offsetAfter(sequence: number | undefined, file: string): number {
    if (sequence === undefined || sequence <= 0) return 0;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i]!.sequence === sequence) return this.#entries[i]!.offset;
    }
    throw new FerryError(
      `${file}: no offset recorded for batch ${sequence}; the export cannot resume, start a new run`,
      {
        code: 'FERRY_NDJSON_RESUME',
        reason: 'not-found',
        operation: 'open',
      },
    );
  }

  /** The index text kept up to `sequence`. */
  textUpTo(sequence: number | undefined): string {
    return this.#entries
      .filter((entry) => sequence !== undefined && entry.sequence <= sequence)
      .map((entry) => `${entry.sequence} ${entry.offset}\n`)
      .join('');
  }
}

/** Append `sequence offset` to the sidecar and make it durable. */
export async function appendOffset(
  handle: FileHandle,
  sequence: number,
  offset: number,
  sync: boolean,
): Promise<void> {
  await handle.write(`${sequence} ${offset}\n`);
  if (sync) await handle.datasync();
}
