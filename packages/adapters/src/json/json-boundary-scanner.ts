// A byte-level scanner that finds where each top-level object ends in a JSON array or NDJSON file,
// so a position can carry an exact byte offset and a resumed read seeks instead of re-parsing. It only
// tracks strings, escapes and brace depth; stream-json does the actual parsing.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

/** Where one top-level object ended: the byte after its `}` and the 1-based line of that `}`. */
export interface ObjectEnd {
  readonly byteOffset: number;
  readonly line: number;
}

/**
 * Feed it the file's bytes in order; it reports the end of every object at `baseDepth` (1 inside a
 * top-level array, 0 in NDJSON). Multi-byte UTF-8 never contains these ASCII bytes, so a byte loop is
 * exact.
 */
export class JsonBoundaryScanner {
  readonly #baseDepth: number;
  #depth: number;
  #inString = false;
  #escape = false;
  #offset: number;
  #line: number;

  constructor(options: {
    readonly baseDepth: number;
    readonly startDepth: number;
    readonly offset: number;
    readonly line: number;
  }) {
    this.#baseDepth = options.baseDepth;
    this.#depth = options.startDepth;
    this.#offset = options.offset;
    this.#line = options.line;
  }

  /** Scans a chunk, calling `onEnd` for each object that closes in it. */
  scan(chunk: Uint8Array, onEnd: (end: ObjectEnd) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (byte === BACKSLASH) this.#escape = true;
        else if (byte === QUOTE) this.#inString = false;
        else if (byte === NEWLINE) this.#line++;
        continue;
      }
      if (byte === QUOTE) this.#inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.#depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.#depth--;
        if (byte === CLOSE_BRACE && this.#depth === this.#baseDepth) {
          onEnd({ byteOffset: this.#offset + i + 1, line: this.#line });
        }
      } else if (byte === NEWLINE) this.#line++;
    }
    this.#offset += chunk.length;
  }
}
