// One process per run when the state lives in files (ndjson and ODC targets): a `<runId>.lock` file
// holding the owner's pid, created whole (written beside it, then hard-linked into place, which fails
// when the lock exists). A lock whose process is gone (a crash, SIGKILL) is taken over, so a resumed run
// never needs a manual clean-up; the takeover (check, delete, create) runs under a second such file,
// `<runId>.lock.takeover`, so of several processes taking over the same stale lock exactly one wins.

import { randomBytes } from 'node:crypto';
import { access, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunLock } from './run-lock.js';
import { runLocked } from './run-lock.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `path` holding this process's pid, atomically; false when it exists. */
async function create(path: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(temp, String(process.pid), { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** The live process holding `path`; undefined when the file is gone or its process is dead. */
async function liveOwner(path: string): Promise<number | undefined> {
  const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  return Number.isInteger(owner) && owner > 0 && alive(owner) ? owner : undefined;
}

/** Replaces the stale lock at `path` under the takeover guard, or throws `FERRY_RUN_LOCKED`. */
async function takeOver(path: string, runId: string): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await create(guard))) {
    // Another process is taking over (or just did); a guard left by a taker that died is removed once.
    const gone = await access(guard).then(
      () => false,
      () => true,
    );
    if (gone || (await liveOwner(guard)) !== undefined) throw runLocked(runId);
    await rm(guard, { force: true });
    if (!(await create(guard))) throw runLocked(runId);
  }
  try {
    const owner = await liveOwner(path);
    if (owner !== undefined) throw runLocked(runId, ` (pid ${owner})`);
    await rm(path, { force: true });
    if (!(await create(path))) throw runLocked(runId);
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Takes the run's file lock in `dir` (created if missing) or throws `FERRY_RUN_LOCKED` (a live process
 * holds it, or another process is taking over the same stale lock). `release` deletes the lock file.
 */
export async function fileRunLock(dir: string, runId: string): Promise<RunLock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${runId}.lock`);
  if (!(await create(path))) {
    const owner = await liveOwner(path);
    if (owner !== undefined) throw runLocked(runId, ` (pid ${owner})`);
    await takeOver(path, runId);
  }
  return { release: () => rm(path, { force: true }) };
}
