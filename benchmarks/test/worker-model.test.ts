// The throughput model of the distributed cases on hand-computed figures: per-row costs from a case's
// CPU medians, the lowest bound winning on one machine and on separate hosts, and which server
// saturates first.

import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/measure-case.js';
import { modelThroughput, rowCosts, saturation } from '../src/worker-model.js';

const costs = { ferryUs: 8, sourceUs: 2, targetUs: 5 };

describe('worker model', () => {
  it('takes Ferry’s cost from the 1-worker case and each server’s lowest over the Ferry loads', () => {
    const run = (c: string, proc: number, maria: number, pg: number): RunRecord =>
      ({ case: c, cpuProcessS: proc, cpuMariadbS: maria, cpuPostgresS: pg }) as RunRecord;
    const runs = [
      run('ferry-workers-1', 8, 9, 5),
      run('ferry-workers-1', 7, 2, 11),
      run('ferry-workers-1', 9, 3, 12),
      run('ferry-copy', 6, 4, 6),
      // Not a Ferry load: its server counters are not ours.
      run('psql-copy', 0.4, 1, 4),
      // Failed: not counted.
      { ...run('ferry-workers-2', 9, 0.1, 0.1), error: 'exit 1' },
    ];
    expect(rowCosts(runs, 1_000_000)).toEqual(costs);
    expect(rowCosts(runs.slice(3), 1_000_000)).toBeUndefined();
  });

  it('on one machine: linear in workers until every row’s CPU fills the cores', () => {
    // 2 cores / 15 µs per row = 133,333 rows/s.
    const machine = { kind: 'one-machine', cores: 2 } as const;
    expect(modelThroughput(costs, 60_000, 1, machine)).toBe(60_000);
    expect(modelThroughput(costs, 60_000, 2, machine)).toBe(120_000);
    expect(modelThroughput(costs, 60_000, 4, machine)).toBeCloseTo(133_333.33, 1);
  });

  it('on separate hosts: linear until the target (or the source) runs out of cores', () => {
    // Target: 4 cores / 5 µs = 800,000 rows/s; source: 4 cores / 2 µs = 2,000,000 rows/s.
    const hosts = { kind: 'separate-hosts', sourceCores: 4, targetCores: 4 } as const;
    expect(modelThroughput(costs, 100_000, 4, hosts)).toBe(400_000);
    expect(modelThroughput(costs, 100_000, 16, hosts)).toBe(800_000);
    expect(saturation(costs, 100_000, hosts)).toEqual({ workers: 8, by: 'target' });
    expect(saturation({ ...costs, sourceUs: 20 }, 100_000, hosts)).toEqual({ workers: 2, by: 'source' });
  });
});
