// A source over one JSON file per entity: a top-level array of objects or NDJSON (one object per
// line), parsed by stream-json with backpressure, so memory stays flat on files of any size. Numbers
// are kept as their exact text (never parsed into doubles). Positions carry a byte offset: a resumed
// read opens the file there instead of re-parsing what it already read.

import { createReadStream } from 'node:fs';
import { Transform, pipeline } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { FerryError } from '@ferry/core';
import type { Batch, Position, ReadOptions, Row, Source } from '@ferry/core';
import makeParser from 'stream-json';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import StreamValues from 'stream-json/streamers/StreamValues.js';
import type StreamBase from 'stream-json/streamers/StreamBase.js';
import { readAbortedError } from '../shared/read-errors.js';
import { JsonBoundaryScanner } from './json-boundary-scanner.js';
import type { ObjectEnd } from './json-boundary-scanner.js';
import { parseJsonPosition } from './json-position.js';
import type { JsonFormat, ResumePoint } from './json-position.js';

/** Options of {@link jsonSource}. */
export interface JsonSourceOptions {
  /** The file of one entity. */
  readonly path: string;
  /** `array`: `[ {...}, {...} ]`; `ndjson`: one object per line. */
  readonly format: JsonFormat;
  /** Label for logs and errors; defaults to the path. */
  readonly name?: string | undefined;
  /** Bytes per file read; default 64 KiB. */
  readonly highWaterMark?: number | undefined;
}

/** Strips the `,` left before the next element when an array read resumes mid-file, and reopens the array. */
class ArrayResumeFixer extends Transform {
  #started = false;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#started) return callback(null, chunk);
    let i = 0;
    while (
      i < chunk.length &&
      (chunk[i] === 0x20 || chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x09)
    )
      i++;
    if (i === chunk.length) return callback(); // only whitespace so far
    this.#started = true;
    if (chunk[i] === 0x2c) i++; // the comma after the last element read
    callback(null, Buffer.concat([Buffer.from('['), chunk.subarray(i)]));
  }
}

/** Records where each object ends while passing the bytes on unchanged. */
class BoundaryTap extends Transform {
  readonly ends: ObjectEnd[] = [];
  readonly #scanner: JsonBoundaryScanner;
  constructor(scanner: JsonBoundaryScanner) {
    super();
    this.#scanner = scanner;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#scanner.scan(chunk, (end) => this.ends.push(end));
    callback(null, chunk);
  }
}

function open(
  options: JsonSourceOptions,
  resume: ResumePoint | undefined,
): { records: Readable; tap: BoundaryTap } {
  const seek = resume?.byteOffset;
  const array = options.format === 'array';
  const file = createReadStream(options.path, {
    start: seek ?? 0,
    highWaterMark: options.highWaterMark ?? 65_536,
  });
  const scanner = new JsonBoundaryScanner({
    baseDepth: array ? 1 : 0,
    startDepth: array && seek !== undefined ? 1 : 0,
    offset: seek ?? 0,
    line: seek !== undefined && !array ? (resume?.done ?? 1) : 1,
  });
  const tap = new BoundaryTap(scanner);
  // numberAsString: stream-json hands over the number's text, so 2^53 + 1 and 0.1 stay exact.
  const streamOptions: StreamBase.StreamOptions & { numberAsString: boolean } = { numberAsString: true };
  const streamer = array ? StreamArray.make(streamOptions) : StreamValues.make(streamOptions);
  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream)[] = [file, tap];
  if (array && seek !== undefined) stages.push(new ArrayResumeFixer());
  stages.push(makeParser.parser({ jsonStreaming: !array, streamValues: false }), streamer);
  pipeline(stages as unknown as [Readable, ...Transform[]], () => undefined);
  return { records: streamer, tap };
}

class JsonSource implements Source<Row> {
  readonly name: string;
  readonly #options: JsonSourceOptions;

  constructor(options: JsonSourceOptions) {
    this.#options = options;
    this.name = options.name ?? options.path;
  }

  async *read(options: ReadOptions): AsyncGenerator<Batch<Row>> {
    const { format } = this.#options;
    const resume = parseJsonPosition(format, options.after, this.name);
    const { records, tap } = open(this.#options, resume);
    // Without a byte offset the file is re-parsed from the start and the records already read skipped.
    let index = resume === undefined ? 0 : resume.byteOffset === undefined ? 0 : resume.done;
    const skip = resume !== undefined && resume.byteOffset === undefined ? resume.done : 0;
    let rows: Row[] = [];
    let position: Position = null;
    try {
      for await (const item of records as AsyncIterable<{ value: unknown }>) {
        if (options.signal?.aborted === true) throw readAbortedError(this.name, position);
        const end = tap.ends.shift();
        const value = item.value;
        if (end === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw invalid(this.name, format, index);
        }
        const done = format === 'array' ? index + 1 : end.line;
        index++;
        if (done <= skip) continue;
        rows.push(value as Row);
        position =
          format === 'array'
            ? { index: index - 1, byteOffset: end.byteOffset }
            : { line: end.line, byteOffset: end.byteOffset };
        if (rows.length >= options.batchSize) {
          yield { rows, position, rowsRead: rows.length };
          rows = [];
        }
      }
      if (rows.length > 0) yield { rows, position, rowsRead: rows.length };
    } catch (error) {
      throw toJsonFerryError(error, this.name, position);
    } finally {
      records.destroy();
    }
  }
}

function invalid(entity: string, format: JsonFormat, index: number): FerryError {
  return new FerryError(`${entity}: record ${index} of the ${format} file is not a JSON object`, {
    code: 'FERRY_SOURCE_JSON',
    reason: 'invalid-data',
    entity,
    operation: 'read',
  });
}

function toJsonFerryError(error: unknown, entity: string, position: Position): FerryError {
  if (error instanceof FerryError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const missing = code === 'ENOENT';
  return new FerryError(
    missing ? `${entity}: file not found` : `${entity}: the file is not valid JSON or could not be read`,
    {
      code: missing ? 'FERRY_SOURCE_FILE' : 'FERRY_SOURCE_JSON',
      reason: missing ? 'not-found' : 'invalid-data',
      cause: error,
      entity,
      operation: 'read',
      position,
    },
  );
}

/**
 * A {@link Source} over one JSON file (rows in file order). Positions are `{ index, byteOffset }` for
 * an array file and `{ line, byteOffset }` for NDJSON; resuming opens the file at `byteOffset`.
 * Every JSON number arrives as its exact text (`"9007199254740993"`, `"0.10"`).
 *
 * @example
 * ```ts
 * const source = jsonSource({ path: 'export/Sales.Order.ndjson', format: 'ndjson' });
 * for await (const batch of source.read({ batchSize: 1000 })) console.log(batch.position);
 * ```
 */
export function jsonSource(options: JsonSourceOptions): Source<Row> {
  return new JsonSource(options);
}
