// Where the ODC user list comes from: an array, a JSON or NDJSON file (exported from the ODC portal or
// the user API), or a function (e.g. a query). Only id, email and username are kept.

import { readFile } from 'node:fs/promises';
import { FerryError } from '@ferry/core';
import type { OdcUser } from './user-map.js';

/** A source of ODC users. */
export type OdcUserSource =
  | readonly OdcUser[]
  | { readonly file: string }
  | (() => Promise<Iterable<OdcUser>> | Iterable<OdcUser> | AsyncIterable<OdcUser>);

function pick(raw: unknown, where: string): OdcUser {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = record['id'] ?? record['Id'];
  if (typeof id !== 'string' || id === '') {
    throw new FerryError(`ODC user list: ${where} has no text "id"`, {
      code: 'FERRY_USERS_INVALID',
      reason: 'invalid-config',
      operation: 'users.load',
    });
  }
  const email = record['email'] ?? record['Email'];
  const username = record['username'] ?? record['Username'];
  return {
    id,
    ...(typeof email === 'string' ? { email } : {}),
    ...(typeof username === 'string' ? { username } : {}),
  };
}

async function fromFile(path: string): Promise<OdcUser[]> {
  const text = await readFile(path, 'utf8');
  try {
    if (text.trimStart().startsWith('['))
      return (JSON.parse(text) as unknown[]).map((u, i) => pick(u, `entry ${i}`));
    return text
      .split(/\r?\n/)
      .flatMap((line, i) => (line.trim() === '' ? [] : [pick(JSON.parse(line), `line ${i + 1}`)]));
  } catch (error) {
    if (error instanceof FerryError) throw error;
    throw new FerryError(`ODC user list ${path} is not JSON or NDJSON`, {
      code: 'FERRY_USERS_INVALID',
      reason: 'invalid-config',
      operation: 'users.load',
      cause: error,
    });
  }
}

/** Loads ODC users from an array, a file (JSON array or NDJSON) or a function. */
export async function loadOdcUsers(source: OdcUserSource): Promise<OdcUser[]> {
  if (Array.isArray(source)) return (source as readonly OdcUser[]).map((u, i) => pick(u, `entry ${i}`));
  if (typeof source === 'function') {
    const users: OdcUser[] = [];
    const result = await source();
    if (Symbol.asyncIterator in result)
      for await (const u of result) users.push(pick(u, `entry ${users.length}`));
    else for (const u of result) users.push(pick(u, `entry ${users.length}`));
    return users;
  }
  return fromFile((source as { readonly file: string }).file);
}
