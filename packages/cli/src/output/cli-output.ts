// Where the CLI writes: results to stdout (text or one JSON document with --json), progress and
// diagnostics to stderr, as text or, with --log-format json, as one JSON line each (pino). Colour only
// on a TTY without NO_COLOR; --quiet keeps only results and errors.

import type { Logger } from 'pino';
import { jsonLogger } from './json-log.js';

/** The streams and settings of one CLI invocation. */
export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly stack: boolean;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** `text` (default) or `json`: stderr as one JSON object per line. */
  readonly logFormat?: 'text' | 'json';
}

const ANSI = /\u001b\[\d+m/g;

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/** A colour name {@link CliOutput.paint} knows. */
export type Colour = keyof typeof CODES;

/** Writes results, notes and diagnostics according to the global flags. */
export class CliOutput {
  readonly options: OutputOptions;
  readonly #colour: boolean;
  /** The JSON line logger of `--log-format json`; undefined for text. */
  readonly logger: Logger | undefined;

  constructor(options: OutputOptions) {
    this.options = options;
    this.logger = options.logFormat === 'json' ? jsonLogger(options.stderr, options.verbose) : undefined;
    const noColor = options.env['NO_COLOR'] !== undefined && options.env['NO_COLOR'] !== '';
    this.#colour = options.stdout.isTTY === true && !noColor && options.env['TERM'] !== 'dumb';
  }

  /** Whether stderr is an interactive terminal (progress bars) and colour is allowed there. */
  get interactive(): boolean {
    const noColor = this.options.env['NO_COLOR'] !== undefined && this.options.env['NO_COLOR'] !== '';
    const text = this.logger === undefined && !this.options.json && !this.options.quiet;
    return this.options.stderr.isTTY === true && !noColor && text;
  }

  /** A human result line on stdout (suppressed with --json, whose document is the result). */
  line(text = ''): void {
    if (!this.options.json) this.options.stdout.write(`${text}\n`);
  }

  /** The machine-readable result with --json. */
  json(value: unknown): void {
    if (this.options.json) this.options.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
  }

  /** A progress or status note on stderr (not with --quiet or --json). */
  note(text: string): void {
    if (this.options.quiet || this.options.json) return;
    if (this.logger !== undefined) this.logger.info({ event: 'note' }, text.replace(ANSI, ''));
    else this.options.stderr.write(`${text}\n`);
  }

  /** A detail only shown with --verbose. */
  debug(text: string): void {
    if (this.logger !== undefined) this.logger.debug({ event: 'debug' }, text.replace(ANSI, ''));
    else if (this.options.verbose) this.options.stderr.write(`${this.paint('dim', text)}\n`);
  }

  /** An error or warning on stderr, always shown. */
  error(text: string): void {
    if (this.logger !== undefined) this.logger.error({ event: 'error' }, text.replace(ANSI, ''));
    else this.options.stderr.write(`${text}\n`);
  }

  /** Wraps text in an ANSI colour when colour is on. */
  paint(colour: Colour, text: string): string {
    return this.#colour ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
  }
}

/** JSON.stringify replacer: bigint as text, errors as their JSON form. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}
