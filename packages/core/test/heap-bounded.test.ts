import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const CHILD = resolve(import.meta.dirname, 'fixtures/heap-run.ts');
const ROWS = 2_000_000;
const MB = 1024 * 1024;

describe('runner: streaming keeps the heap flat', () => {
  it('a 2M-row run grows the heap by less than 40 MB after GC (rows would take hundreds)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, String(ROWS)],
      {
        cwd: ROOT,
        maxBuffer: 16 * MB,
      },
    );
    const { status, written, samples } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      status: string;
      written: number;
      samples: number[];
    };
    expect(status).toBe('completed');
    expect(written).toBe(ROWS);
    expect(samples.length).toBeGreaterThan(15);
    const baseline = samples[1]!;
    const peak = Math.max(...samples.slice(1));
    expect((peak - baseline) / MB).toBeLessThan(40);
  }, 180_000);

  it('regression: batches a transaction took before one large commit do not keep their rows (200k rows of 1 KB)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, '1000000', 'grouped'],
      { cwd: ROOT, maxBuffer: 16 * MB },
    );
    const { status, written, samples } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      status: string;
      written: number;
      samples: number[];
    };
    expect(status).toBe('completed');
    expect(written).toBe(1_000_000);
    expect(samples.length).toBeGreaterThanOrEqual(4);
    // Measured: about 7 MB; 83 MB when the runner kept the 200 waiting batches alive.
    expect(Math.max(...samples) / MB).toBeLessThan(30);
  }, 180_000);
});
