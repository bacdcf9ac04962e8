// Progress and log events. The runner emits them synchronously to listeners; a slow listener slows
// the run, so listeners should only record or print.

import type { FerryError } from './errors.js';
import type { Position } from './position.js';

/** Counters of one entity, cumulative over the run (including resumed attempts). */
export interface EntityCounts {
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
}

/** Everything the runner reports. */
export type RunEvent =
  | {
      readonly type: 'run:start';
      readonly runId: string;
      readonly entities: readonly string[];
      readonly resumed: boolean;
    }
  | {
      readonly type: 'run:end';
      readonly runId: string;
      readonly status: RunStatus;
      readonly durationMs: number;
    }
  | {
      readonly type: 'entity:start';
      readonly runId: string;
      readonly entity: string;
      readonly resumedFrom: Position;
      readonly totalRows: number | undefined;
    }
  | {
      readonly type: 'entity:skip';
      readonly runId: string;
      readonly entity: string;
      readonly reason: 'completed' | 'dependency-failed';
    }
  | ({
      readonly type: 'batch:read';
      readonly runId: string;
      readonly entity: string;
      readonly sequence: number;
      readonly rows: number;
    } & EntityCounts)
  | ({
      readonly type: 'batch:durable';
      readonly runId: string;
      readonly entity: string;
      readonly sequence: number;
      readonly rows: number;
      readonly rowsPerSecond: number;
      readonly totalRows: number | undefined;
    } & EntityCounts)
  | {
      readonly type: 'checkpoint:saved';
      readonly runId: string;
      readonly entity: string;
      readonly sequence: number;
      readonly position: Position;
    }
  | {
      readonly type: 'retry';
      readonly runId: string;
      readonly entity: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: FerryError;
    }
  | ({
      readonly type: 'entity:end';
      readonly runId: string;
      readonly entity: string;
      readonly status: EntityStatus;
      readonly durationMs: number;
      readonly error?: FerryError;
    } & EntityCounts);

/** How a run ended. `already-completed` means a re-run of a finished run that wrote nothing. */
export type RunStatus = 'completed' | 'failed' | 'aborted' | 'already-completed';

/** How one entity ended. */
export type EntityStatus = 'completed' | 'failed' | 'aborted' | 'skipped';

/** A pluggable logger; `console` fits. Messages never contain row values or secrets. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
