// A request limiter's window kept in a file of the run's state folder (a JSON array of the times of the
// requests still inside it), so a process started after a crash or a SIGKILL honours the rate limit the
// previous one was holding. Used by the ODC REST target (`<runId>.requests.json`) and by `ferry users`.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The `history` and `onHistory` options of a RequestLimiter, bound to one file. */
export interface RequestWindowFile {
  /** Request times (ms since the epoch) an earlier process left; empty when the file is missing or unreadable. */
  readonly history: number[];
  /** Writes the times back, synchronously. */
  readonly onHistory: (times: readonly number[]) => void;
}

/** Reads the window left in `file` and returns the options that keep it there; creates its folder. */
export function requestWindowFile(file: string): RequestWindowFile {
  mkdirSync(dirname(file), { recursive: true });
  return {
    history: readTimes(file),
    // Synchronous and tiny (at most one window's cap of numbers): the file is current even when the
    // process is killed right after a request started.
    onHistory: (times) => writeFileSync(file, JSON.stringify(times)),
  };
}

function readTimes(file: string): number[] {
  try {
    const times: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(times) ? times.filter((t): t is number => typeof t === 'number') : [];
  } catch {
    return [];
  }
}
