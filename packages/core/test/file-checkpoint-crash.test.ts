import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '@ferry/core';
import { testCheckpoint } from '@ferry/core/testing';

import { transpileCore } from './fixtures/transpile-core.js';

const CHILD = resolve(import.meta.dirname, 'fixtures/checkpoint-saver.mjs');
const ITERATIONS = 30;

/** Start the saver, let it acknowledge some saves, SIGKILL it mid-stream; returns the last acknowledged sequence. */
async function killDuringSaves(coreDir: string, dir: string, start: number): Promise<number> {
  const child = spawn(process.execPath, [CHILD, coreDir, dir, String(start)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const wanted = 1 + Math.floor(Math.random() * 15);
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').length > wanted) {
        // land the kill at a random instant within the next save
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 3);
        ready();
      }
    });
    child.on('exit', () => fail(new Error(`saver exited early: ${err}`)));
  });
  await exited;
  const acks = out.trim().split('\n').map(Number);
  return acks.at(-1)!;
}

describe('FileCheckpointStore survives SIGKILL during saves', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it(`always loads the previous or the new checkpoint, never a torn one (${ITERATIONS} kills)`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-crash-'));
    const coreDir = await transpileCore(await mkdtemp(join(tmpdir(), 'ferry-core-js-')));
    dirs.push(dir, coreDir);
    const store = new FileCheckpointStore(dir);
    await store.save(testCheckpoint('crash-run', 'Customer', 1, { status: 'completed' }));
    let next = 1;
    for (let i = 0; i < ITERATIONS; i += 1) {
      const acknowledged = await killDuringSaves(coreDir, dir, next);
      const loaded = await new FileCheckpointStore(dir).load('crash-run', 'Order');
      expect(loaded, `iteration ${i}`).toBeDefined();
      expect([acknowledged, acknowledged + 1]).toContain(loaded!.sequence);
      expect(loaded).toEqual(
        testCheckpoint('crash-run', 'Order', loaded!.sequence, {
          position: { key: [String(loaded!.sequence)], padding: 'x'.repeat(4096) },
        }),
      );
      expect((await new FileCheckpointStore(dir).load('crash-run', 'Customer'))?.status).toBe('completed');
      next = loaded!.sequence + 1;
    }
    // temp files of killed saves may remain; delete() clears them with the run
    await store.delete('crash-run');
    expect(await readdir(dir)).toEqual([]);
  }, 120_000);
});
