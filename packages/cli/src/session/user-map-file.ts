// The user map file that `ferry users --apply` writes and `run` reads: O11 user id → ODC user key, ids
// only (no names, no e-mails). Written to a temporary file and renamed, so `run` never reads half of it.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CliSession } from './cli-session.js';

/** The map file of the session's run: `users.mapFile`, default `.ferry/<runId>.user-map.json`. */
export function userMapPath(session: CliSession): string {
  return session.path(session.loaded.config.users?.mapFile ?? `.ferry/${session.runId}.user-map.json`);
}

/** Reads the map, or `undefined` when `ferry users --apply` has not written one. */
export async function readUserMapFile(file: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as { users?: Record<string, string> };
  return new Map(Object.entries(parsed.users ?? {}));
}

/** Writes the map atomically. */
export async function writeUserMapFile(file: string, users: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(
    temporary,
    `${JSON.stringify({ version: 1, users: Object.fromEntries(users) }, null, 1)}\n`,
  );
  await rename(temporary, file);
}
