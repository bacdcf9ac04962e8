// The on-disk shape of a run's checkpoint file, and a strict reader for it: a file that does not parse
// or has the wrong shape is reported (never silently treated as "no checkpoint", which would restart).

import type { Checkpoint } from '../checkpoint.js';
import { FerryError } from '../errors.js';

/** @internal The JSON document of one run: version, run id, and the checkpoint of each entity. */
export interface RunFile {
  readonly version: 1;
  readonly runId: string;
  readonly entities: Readonly<Record<string, Checkpoint>>;
}

/** @internal Parse and check a run file. */
export function parseRunFile(text: string, path: string): RunFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, 'is not valid JSON', error);
  }
  const file = value as Partial<RunFile> | null;
  if (file === null || typeof file !== 'object' || file.version !== 1 || typeof file.entities !== 'object') {
    throw corrupt(path, 'is not a Ferry checkpoint file (version 1)');
  }
  for (const [entity, checkpoint] of Object.entries(file.entities ?? {})) {
    if (typeof checkpoint?.sequence !== 'number' || checkpoint.entity !== entity) {
      throw corrupt(path, `has a malformed checkpoint for entity "${entity}"`);
    }
  }
  return file as RunFile;
}

function corrupt(path: string, what: string, cause?: unknown): FerryError {
  return new FerryError(`checkpoint file ${path} ${what}; restore it or delete the run to start over`, {
    code: 'FERRY_CHECKPOINT_CORRUPT',
    reason: 'invalid-data',
    cause,
    operation: 'checkpoint.load',
  });
}
