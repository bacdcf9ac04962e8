// Shows a run's progress from the runner's events: one cli-progress bar per entity (rows, rows/s, ETA)
// when stderr is a terminal, plain lines otherwise (CI logs), each starting with an ISO timestamp:
// entity start and end, a progress line at most every few seconds, retries. With --log-format json,
// every event is one JSON line instead. Listeners must be cheap: the runner calls them synchronously.

import cliProgress from 'cli-progress';
import type { RunEvent } from '@ferry/core';
import type { CliOutput } from '../output/cli-output.js';
import { formatCount, formatDuration } from '../output/text-table.js';
import { logRunEvent } from '../output/json-log.js';

const PLAIN_EVERY_MS = 5_000;

/** Turns run events into bars or lines. Call `stop()` before printing the summary. */
export class ProgressView {
  readonly #out: CliOutput;
  readonly #multi: cliProgress.MultiBar | undefined;
  readonly #bars = new Map<string, cliProgress.SingleBar>();
  readonly #lastLine = new Map<string, number>();

  constructor(out: CliOutput) {
    this.#out = out;
    this.#multi = out.interactive
      ? new cliProgress.MultiBar(
          {
            stream: out.options.stderr,
            format:
              ' {entity} |{bar}| {percentage}% {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: false,
            stopOnComplete: false,
            etaBuffer: 20,
            fps: 5,
            autopadding: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  }

  /** The runner's `onEvent`. */
  readonly onEvent = (event: RunEvent): void => {
    if (this.#out.logger !== undefined) {
      if (!this.#out.options.json && !this.#out.options.quiet) logRunEvent(this.#out.logger, event);
    } else if (this.#multi !== undefined) this.#bar(event, this.#multi);
    else this.#plain(event);
  };

  /** Ends the bars (leaving their last state on screen). */
  stop(): void {
    this.#multi?.stop();
  }

  #bar(event: RunEvent, multi: cliProgress.MultiBar): void {
    if (event.type === 'entity:start') {
      const bar = multi.create(event.totalRows ?? 0, 0, { entity: event.entity, rate: 0 });
      this.#bars.set(event.entity, bar);
    } else if (event.type === 'batch:durable') {
      const bar = this.#bars.get(event.entity);
      if (event.totalRows !== undefined && event.rowsRead > event.totalRows) bar?.setTotal(event.rowsRead);
      bar?.update(event.rowsRead, { rate: formatCount(event.rowsPerSecond) });
    } else if (event.type === 'entity:end') {
      const bar = this.#bars.get(event.entity);
      if (event.status === 'completed') bar?.setTotal(event.rowsRead);
      bar?.update(event.rowsRead, { entity: `${event.entity} (${event.status})` });
    } else if (event.type === 'retry') {
      multi.log(`retry ${event.attempt} of ${event.entity} in ${event.delayMs} ms: ${event.error.message}\n`);
    }
  }

  #plain(event: RunEvent): void {
    const stamp = new Date().toISOString();
    const out = {
      note: (text: string) => this.#out.note(`${stamp} ${text}`),
      debug: (text: string) => this.#out.debug(`${stamp} ${text}`),
      options: this.#out.options,
    };
    switch (event.type) {
      case 'run:start':
        out.note(
          `run ${event.runId}${event.resumed ? ' (resuming)' : ''}: ${event.entities.length} entities`,
        );
        break;
      case 'entity:start':
        this.#lastLine.set(event.entity, Date.now());
        out.note(
          `${event.entity}: started${event.resumedFrom === null ? '' : ' (resumed)'}${event.totalRows === undefined ? '' : `, about ${formatCount(event.totalRows)} rows`}`,
        );
        break;
      case 'entity:skip':
        out.debug(`${event.entity}: skipped (${event.reason})`);
        break;
      case 'batch:durable': {
        const last = this.#lastLine.get(event.entity) ?? 0;
        if (Date.now() - last < PLAIN_EVERY_MS && !out.options.verbose) break;
        this.#lastLine.set(event.entity, Date.now());
        const of = event.totalRows === undefined ? '' : ` of ${formatCount(event.totalRows)}`;
        out.note(
          `${event.entity}: ${formatCount(event.rowsRead)}${of} rows, ${formatCount(event.rowsPerSecond)} rows/s`,
        );
        break;
      }
      case 'retry':
        out.note(`${event.entity}: retry ${event.attempt} in ${event.delayMs} ms: ${event.error.message}`);
        break;
      case 'entity:end':
        out.note(
          `${event.entity}: ${event.status}, ${formatCount(event.rowsWritten)} written, ${formatCount(event.rowsRejected)} rejected in ${formatDuration(event.durationMs)}`,
        );
        break;
      default:
        break;
    }
  }
}
