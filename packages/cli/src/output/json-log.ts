// `--log-format json`: stderr becomes one JSON object per line (pino), for log shippers and CI parsers:
// `time` (ISO 8601), `level` (`debug`, `info`, `warn`, `error`), `event`, and `runId`/`entity` where an
// event has them. The runner's events keep their counts; messages name no value and no secret.

import { pino, type Logger } from 'pino';
import type { RunEvent } from '@ferry/core';
import { scrubSecrets } from './format-error.js';

/** The line logger of `--log-format json`, writing to `stream`; `debug` lines only with `verbose`. */
export function jsonLogger(stream: NodeJS.WritableStream, verbose: boolean): Logger {
  return pino(
    {
      level: verbose ? 'debug' : 'info',
      base: null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** Per-batch bookkeeping is `debug`; a retry `warn`; an entity or run that did not complete `error`. */
function levelOf(event: RunEvent): 'debug' | 'info' | 'warn' | 'error' {
  switch (event.type) {
    case 'batch:read':
    case 'checkpoint:saved':
      return 'debug';
    case 'retry':
      return 'warn';
    case 'entity:end':
    case 'run:end':
      return event.status === 'failed' || event.status === 'aborted' ? 'error' : 'info';
    default:
      return 'info';
  }
}

/** Logs one runner event as one line: `event` is its type, the rest its fields (errors by code). */
export function logRunEvent(logger: Logger, event: RunEvent): void {
  const { type, ...fields } = event;
  const record: Record<string, unknown> = { event: type, ...fields };
  if ('error' in event && event.error !== undefined) {
    const { code, reason, message } = event.error;
    record['error'] = { code, reason, message: scrubSecrets(message) };
  }
  logger[levelOf(event)](record);
}
