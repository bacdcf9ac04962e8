// The resumable state of `ferry users --apply`: every bulk operation submitted (its key, saved the moment
// ODC answers 202, before it is polled) and the role grants and group members already done. A process
// killed while an operation is pending polls that operation on the next run instead of submitting the
// same users again. Written whole to a temporary file and renamed, so a crash never leaves half a file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '@ferry/core';

/** A submitted bulk operation. */
export interface BulkRecord {
  readonly key: string;
  /** The O11 user ids of its records, in record order (ids, never e-mails). */
  readonly o11Ids: readonly (readonly string[])[];
  status: 'submitted' | 'Finished' | 'FinishedWithErrors';
  /** Per failed record: its O11 ids and ODC's error code. */
  errors?: { readonly o11Ids: readonly string[]; readonly errorCode: string }[];
}

/** Everything `syncOdcUsers` must remember across runs. */
export interface IdentityState {
  readonly version: 1;
  readonly bulks: BulkRecord[];
  /** `userKey roleKey` pairs granted. */
  readonly grants: string[];
  /** O11 group name → ODC group key, for groups Ferry created or matched. */
  readonly groups: Record<string, string>;
  /** `groupKey userKey` pairs added. */
  readonly members: string[];
}

/** Where the state lives. */
export interface IdentityStateStore {
  load(): Promise<IdentityState>;
  save(state: IdentityState): Promise<void>;
}

/** An empty state. */
export function emptyIdentityState(): IdentityState {
  return { version: 1, bulks: [], grants: [], groups: {}, members: [] };
}

/** A JSON file, replaced atomically on every save. */
export class FileIdentityStateStore implements IdentityStateStore {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  async load(): Promise<IdentityState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyIdentityState();
      throw error;
    }
    const state = JSON.parse(text) as IdentityState;
    if (state.version !== 1) {
      throw new FerryError(`unknown users state version in ${this.file}`, {
        code: 'FERRY_USERS_STATE',
        reason: 'invalid-config',
        operation: 'users.state',
      });
    }
    return state;
  }

  async save(state: IdentityState): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state)}\n`);
    await rename(temporary, this.file);
  }
}
