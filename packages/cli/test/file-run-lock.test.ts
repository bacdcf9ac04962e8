// Regression (issue 14, "lock-file race"): taking over a stale run lock file (its pid dead) checked,
// deleted and re-created it in separate steps, so two takers could both hold it (36 of 200 trials).
// Real files in a fresh temporary folder; the dead pid is that of a child that has exited.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRunLock } from '../src/session/file-run-lock.js';

let dir: string;
let deadPid: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-lock-'));
  deadPid = spawnSync('true').pid!;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `takers` attempts at once; resolves with how many got the lock, released afterwards. */
async function race(runId: string, takers: number): Promise<{ held: number; codes: string[] }> {
  const results = await Promise.allSettled(Array.from({ length: takers }, () => fileRunLock(dir, runId)));
  const codes: string[] = [];
  let held = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') held += 1;
    else codes.push(String((result.reason as { code?: unknown }).code));
  }
  if (held === 1) expect(await readFile(join(dir, `${runId}.lock`), 'utf8')).toBe(String(process.pid));
  for (const result of results) if (result.status === 'fulfilled') await result.value.release();
  return { held, codes };
}

describe('file run lock', () => {
  it('regression (lock-file race): 200 times, 5 takers over a stale lock, exactly one holds it', async () => {
    for (let trial = 0; trial < 200; trial++) {
      await writeFile(join(dir, 'stale.lock'), String(deadPid));
      const { held, codes } = await race('stale', 5);
      expect(held, `trial ${trial}`).toBe(1);
      expect(codes).toEqual(Array(4).fill('FERRY_RUN_LOCKED'));
    }
    // Nothing left behind: no lock, no takeover guard, no temporary file.
    expect(await readdir(dir)).toEqual([]);
  });

  it('with no lock file, of 5 takers exactly one holds it, 100 times', async () => {
    for (let trial = 0; trial < 100; trial++) expect((await race('fresh', 5)).held).toBe(1);
  });

  it('a takeover guard left by a taker that died is removed, and the stale lock taken', async () => {
    await writeFile(join(dir, 'crashed.lock'), String(deadPid));
    await writeFile(join(dir, 'crashed.lock.takeover'), String(deadPid));
    const lock = await fileRunLock(dir, 'crashed');
    expect(await readFile(join(dir, 'crashed.lock'), 'utf8')).toBe(String(process.pid));
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('a lock held by a live process is refused, naming its pid', async () => {
    const lock = await fileRunLock(dir, 'live');
    await expect(fileRunLock(dir, 'live')).rejects.toMatchObject({ code: 'FERRY_RUN_LOCKED' });
    await expect(fileRunLock(dir, 'live')).rejects.toThrow(`(pid ${process.pid})`);
    await lock.release();
  });
});
