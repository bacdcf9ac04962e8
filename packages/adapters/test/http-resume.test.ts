import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonlIdMapStore } from '@ferry/adapters/http';
import { startFakeOdcServer } from '@ferry/adapters/http/testing';
import type { FakeOdcServer } from '@ferry/adapters/http/testing';
import { RESUME_SIZES } from './odc-fake/resume-sizes.js';
import { SALES_REFERENCES, salesData, salesProblems } from './odc-fake/sales-migration.js';

const CHILD = fileURLToPath(new URL('./odc-fake/sales-child.ts', import.meta.url));
let server: FakeOdcServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  server = dir = undefined;
});

/** Runs the child; SIGKILLs it once `killWhen` matches a line. Resolves with how it ended. */
function runChild(env: Record<string, string>, killWhen?: (line: string, seen: string[]) => boolean) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>(
    (resolve) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: string[] = [];
      let stderr = '';
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        for (const line of parts) {
          lines.push(line);
          if (killWhen?.(line, lines) === true && child.exitCode === null) child.kill('SIGKILL');
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code, signal) => resolve({ code, signal, lines, stderr }));
    },
  );
}

const durable = (entity: string, lines: string[]): number =>
  lines.filter((l) => l.startsWith(`durable ${entity} `)).length;
/** Records the app acknowledged with a 200 for an entity (a re-sent acknowledged batch counts twice). */
const acknowledged = (s: FakeOdcServer, entity: string): number =>
  s.log.entries
    .filter((e) => e.method === `Upsert${entity}` && e.outcome === 200)
    .reduce((n, e) => n + e.records, 0);

describe('kill and resume over the ODC REST sink', () => {
  it('a run SIGKILLed twice resumes from its checkpoints and id map: no duplicate, no loss', async () => {
    server = await startFakeOdcServer({
      seed: 7,
      references: SALES_REFERENCES,
      faults: { errorRate: 0.05, dropAfterCommitRate: 0.05 },
    });
    dir = await mkdtemp(join(tmpdir(), 'ferry-http-resume-'));
    const env = { FERRY_TEST_ODC_URL: server.url, FERRY_TEST_DIR: dir };
    const data = salesData(...RESUME_SIZES);

    const first = await runChild(env, (_, lines) => durable('Order', lines) >= 4);
    expect(first.signal, first.stderr).toBe('SIGKILL');
    expect(server.rows('Order').size).toBeLessThan(data.Order.length);

    const second = await runChild(env, (_, lines) => durable('OrderLine', lines) >= 6);
    expect(second.signal, second.stderr).toBe('SIGKILL');
    expect(second.lines.some((l) => l.startsWith('durable Customer'))).toBe(false);
    expect(server.rows('OrderLine').size).toBeLessThan(data.OrderLine.length);

    const third = await runChild(env);
    expect(third.code, third.stderr).toBe(0);
    expect(third.lines.at(-1)).toBe('done completed');

    const idMap = await JsonlIdMapStore.open(join(dir, 'ids.jsonl'));
    const ids = new Map(['Customer', 'Order', 'OrderLine'].map((e) => [e, idMap.entries(e)]));
    await idMap.close();
    expect(salesProblems(server, data, ids)).toEqual([]);
    // resumed, not restarted: Customer was acknowledged once per row (never re-sent after the kills), and
    // the resumed runs wrote only the batches after their entity's checkpoint (20 rows per batch)
    expect(acknowledged(server, 'Customer')).toBe(data.Customer.length);
    expect(durable('Order', second.lines)).toBeLessThan(data.Order.length / 20);
    expect(durable('OrderLine', third.lines)).toBeLessThan(data.OrderLine.length / 20);
    const firstResumed = third.lines.find((l) => l.startsWith('durable OrderLine '));
    expect(Number(firstResumed?.split(' ')[2])).toBeGreaterThan(1);
  });
});
