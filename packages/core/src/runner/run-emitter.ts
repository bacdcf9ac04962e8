// Event delivery. Listeners are called synchronously; one that throws is reported to the logger once
// and never breaks the run.

import type { Logger, RunEvent } from '../events.js';

/** @internal Delivers run events to the listener and guards the run against listener errors. */
export class RunEmitter {
  readonly #listener: ((event: RunEvent) => void) | undefined;
  readonly #logger: Logger | undefined;
  #warned = false;

  constructor(listener: ((event: RunEvent) => void) | undefined, logger: Logger | undefined) {
    this.#listener = listener;
    this.#logger = logger;
  }

  /** The logger, when one was given. */
  get logger(): Logger | undefined {
    return this.#logger;
  }

  /** Whether anyone listens (lets callers skip building events). */
  get listening(): boolean {
    return this.#listener !== undefined;
  }

  emit(event: RunEvent): void {
    if (this.#listener === undefined) return;
    try {
      this.#listener(event);
    } catch (error) {
      if (!this.#warned) {
        this.#warned = true;
        this.#logger?.warn('an onEvent listener threw; its errors are ignored', { error: String(error) });
      }
    }
  }
}
