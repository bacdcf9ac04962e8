// Files named by a command option (`sync --diff-file`, `diff --keys-file`): a missing, unreadable or
// unparsable file is the user's input to fix, a FerryError (FERRY_INPUT_FILE, exit 2) naming the option
// and the path. Never the file's content: a parser's message quotes it, and it holds row values.

import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FerryError } from '@ferry/core';

const why = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'may not be accessed';
  if (code === 'EISDIR') return 'is a directory';
  return code === undefined ? 'cannot be used' : `cannot be used (${code})`;
};

const inputError = (option: string, path: string, reason: string): FerryError =>
  new FerryError(`${option} ${path}: the file ${reason}`, {
    code: 'FERRY_INPUT_FILE',
    reason: 'invalid-config',
  });

/**
 * Reads and parses the JSON file an option names.
 *
 * @param option - The option as the user typed it, e.g. `--diff-file`.
 * @param path - The absolute path.
 * @returns The parsed value (its shape is the caller's to check).
 * @throws FerryError `FERRY_INPUT_FILE` (reason `invalid-config`) when the file cannot be read or is not
 *   JSON; the message names the option and the path, never the content.
 */
export async function readOptionJson(option: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw inputError(option, path, why(error));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw inputError(option, path, 'is not valid JSON');
  }
}

/**
 * Creates (or truncates) the file an option names, for writing.
 *
 * @throws FerryError `FERRY_INPUT_FILE` (reason `invalid-config`) when it cannot be created (missing
 *   folder, no permission), naming the option and the path.
 */
export async function createOptionFile(option: string, path: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (error) {
    throw inputError(option, path, why(error));
  }
}
