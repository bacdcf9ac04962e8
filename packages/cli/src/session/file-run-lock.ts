// One process per run when the state lives in files (ndjson and ODC targets): a `<runId>.lock` file
// created exclusively in the state folder, holding the owner's pid. A lock whose process is gone (a
// crash, SIGKILL) is taken over, so a resumed run never needs a manual clean-up.

import { mkdir, open, readFile, rm } from 'node:fs/promises';
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

async function create(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'wx');
    await file.writeFile(String(process.pid));
    await file.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the run's file lock or throws `FERRY_RUN_LOCKED`. */
export async function fileRunLock(dir: string, runId: string): Promise<RunLock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${runId}.lock`);
  if (!(await create(path))) {
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw runLocked(runId, ` (pid ${owner})`);
    }
    await rm(path, { force: true });
    if (!(await create(path))) {
      throw runLocked(runId);
    }
  }
  return { release: () => rm(path, { force: true }) };
}
