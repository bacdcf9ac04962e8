// An NDJSON file sink for dry runs and exports: one line per row, values exact. A write resolves once
// its lines (and the sidecar offset index) are fsynced. With a checkpoint store it has `transactions`:
// a commit fsyncs the lines, records the offset, then saves the checkpoint; `open` cuts the file back
// to the end of the last checkpointed batch, so a resumed run writes nothing twice.

import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError, isFerryError } from '@ferry/core';
import type {
  Batch,
  CheckpointStore,
  Row,
  Sink,
  SinkOutcome,
  SinkTransaction,
  SinkTransactions,
  TransactionContext,
  WriteContext,
} from '@ferry/core';
import { encodeNdjsonRow } from './ndjson-encoder.js';
import { appendOffset, NdjsonOffsetIndex } from './ndjson-offset-index.js';

/** Options of {@link ndjsonSink}. */
export interface NdjsonSinkOptions {
  /** The data file. Its offset index is kept beside it as `<path>.offsets`. */
  readonly path: string;
  /** Attributes to write, in this order (missing ones as null). Default: every attribute of each row. */
  readonly columns?: readonly string[];
  /** fsync data and index before `write` resolves. Default true; `false` suits throw-away dry runs. */
  readonly fsync?: boolean;
  /**
   * The entity's checkpoint store: gives the sink `transactions` (core's runner then keeps the entity's
   * checkpoints here). `open` loads the entity's checkpoint and truncates the file to the end of that
   * batch (rows written after it are written again by the resumed run). Without it, `open` starts the
   * file afresh: every run then has to start from the beginning (a new run id).
   */
  readonly checkpoints?: CheckpointStore;
  readonly name?: string;
}

interface OpenFiles {
  readonly data: FileHandle;
  readonly index: FileHandle;
  offset: number;
}

/** The sink behind {@link ndjsonSink}. */
export class NdjsonSink implements Sink<Row> {
  readonly name: string;
  /** Present when `checkpoints` is given. */
  readonly transactions?: SinkTransactions<Row>;
  readonly #options: NdjsonSinkOptions;
  #files: Promise<OpenFiles> | undefined;
  #lane: Promise<unknown> = Promise.resolve();

  constructor(options: NdjsonSinkOptions) {
    this.#options = options;
    this.name = options.name ?? `ndjson:${options.path}`;
    const checkpoints = options.checkpoints;
    if (checkpoints !== undefined)
      this.transactions = { checkpoints, begin: (context) => this.#begin(context, checkpoints) };
  }

  async open(context: Omit<WriteContext, 'sequence'>): Promise<void> {
    await this.#open(context);
  }

  write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    const step = this.#lane.then(() => this.#append(batch, context));
    this.#lane = step.catch(() => undefined);
    return step;
  }

  async close(_outcome: SinkOutcome): Promise<void> {
    await this.#lane;
    const files = await this.#files?.catch(() => undefined);
    this.#files = undefined;
    await files?.data.close();
    await files?.index.close();
  }

  async #append(batch: Batch<Row>, context: WriteContext): Promise<void> {
    const files = await this.#open(context);
    const written = await this.#lines(files, batch, context.entity);
    await this.#seal(files, written, context.sequence, context.entity);
  }

  /** Append a batch's lines after the committed end; returns the bytes written. */
  async #lines(files: OpenFiles, batch: Batch<Row>, entity: string): Promise<number> {
    let text = '';
    for (const row of batch.rows) text += encodeNdjsonRow(row, this.#options.columns);
    try {
      if (text.length > 0) await files.data.appendFile(text);
    } catch (error) {
      throw this.#ioError(error, entity, 'write');
    }
    return Buffer.byteLength(text);
  }

  /** Make `bytes` more of the file durable as the end of batch `sequence`. */
  async #seal(files: OpenFiles, bytes: number, sequence: number, entity: string): Promise<void> {
    const sync = this.#options.fsync !== false;
    try {
      if (sync) await files.data.datasync();
      files.offset += bytes;
      await appendOffset(files.index, sequence, files.offset, sync);
    } catch (error) {
      throw this.#ioError(error, entity, 'write');
    }
  }

  /** A transaction: lines appended as batches arrive; commit seals them and saves the checkpoint. */
  async #begin(context: TransactionContext, store: CheckpointStore): Promise<SinkTransaction<Row>> {
    const files = await this.#open(context);
    let bytes = 0;
    let ended = false;
    return {
      write: async (batch) => {
        bytes += await this.#lines(files, batch, context.entity);
      },
      commit: async (checkpoint) => {
        await this.#seal(files, bytes, checkpoint.sequence, context.entity);
        ended = true;
        await store.save(checkpoint);
      },
      rollback: async () => {
        if (ended) return;
        ended = true;
        // Lines after the committed end are cut off (a crash instead leaves them to the next `open`).
        await files.data.truncate(files.offset).catch(() => undefined);
      },
    };
  }

  #open(context: Omit<WriteContext, 'sequence'>): Promise<OpenFiles> {
    this.#files ??= this.#openFiles(context);
    return this.#files;
  }

  async #openFiles(context: Omit<WriteContext, 'sequence'>): Promise<OpenFiles> {
    const { path } = this.#options;
    const indexPath = `${path}.offsets`;
    const checkpoint = await this.#options.checkpoints?.load(context.runId, context.entity);
    try {
      await mkdir(dirname(path), { recursive: true });
      const existing = await readFile(indexPath, 'utf8').catch(() => '');
      const index = NdjsonOffsetIndex.parse(existing);
      const keep = index.offsetAfter(checkpoint?.sequence, path);
      const data = await open(path, 'a+');
      await data.truncate(keep);
      await data.sync();
      // Rewritten via a temporary file and rename, so a crash leaves the old or the new index.
      await writeFile(`${indexPath}.tmp`, index.textUpTo(checkpoint?.sequence), { flush: true });
      await rename(`${indexPath}.tmp`, indexPath);
      return { data, index: await open(indexPath, 'a'), offset: keep };
    } catch (error) {
      this.#files = undefined;
      throw this.#ioError(error, context.entity, 'open');
    }
  }

  #ioError(error: unknown, entity: string, operation: string): FerryError {
    if (isFerryError(error)) return error;
    const raw = (error as { code?: unknown } | null)?.code;
    const code = typeof raw === 'string' ? raw : undefined;
    return new FerryError(`NDJSON ${operation} of ${this.#options.path} failed (${code ?? 'error'})`, {
      code: 'FERRY_NDJSON_IO',
      reason: code === 'ENOENT' ? 'not-found' : code === 'EACCES' ? 'authentication' : 'unknown',
      cause: error,
      entity,
      operation,
    });
  }
}

/**
 * A sink that writes rows as NDJSON lines to a file.
 *
 * @example
 * ```ts
 * const sink = ndjsonSink({ path: 'out/customer.ndjson', checkpoints }); // the run takes this store
 * ```
 */
export function ndjsonSink(options: NdjsonSinkOptions): Sink<Row> {
  return new NdjsonSink(options);
}
