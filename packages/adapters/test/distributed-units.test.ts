// The pure parts of a distributed run: job names (deterministic, so every process names a pipeline's
// job alike and a second send is a no-op), the `distributed` settings' defaults and refusals, which
// pipelines are ready for a job, and how the coordinator turns checkpoints and jobs into results.

import { describe, expect, it } from 'vitest';
import { FakeSink, FakeSource } from '@ferry/core/testing';
import type { Checkpoint, Plan, RunEvent } from '@ferry/core';
import {
  pipelineJobId,
  readyPipelines,
  resolveDistributedOptions,
  runQueueName,
} from '@ferry/adapters/distributed';
import type { RunJob } from '@ferry/adapters/distributed';
import { FollowEvents } from '../src/distributed/follow-events.js';

const pipeline = (entity: string, dependsOn?: string[]) => ({
  entity,
  ...(dependsOn === undefined ? {} : { dependsOn }),
  source: FakeSource.synthetic(1),
  sink: new FakeSink(),
});

const plan: Plan = {
  entities: [
    pipeline('Catalog.Category[1/2]'),
    pipeline('Catalog.Category[2/2]'),
    pipeline('Catalog.Product', ['Catalog.Category[1/2]', 'Catalog.Category[2/2]']),
    pipeline('Catalog.Category#pass2', ['Catalog.Category[1/2]', 'Catalog.Category[2/2]']),
  ],
};

const checkpoint = (entity: string, status: Checkpoint['status'], rows: number): Checkpoint => ({
  runId: 'r',
  entity,
  position: null,
  sequence: rows,
  status,
  rowsRead: rows,
  rowsWritten: rows,
  rowsRejected: 0,
  rowsFiltered: 0,
  updatedAt: '2026-11-30T00:00:00.000Z',
});

describe('job names', () => {
  it('gives a pipeline of a run always the same UUID, and different pipelines or runs different ones', () => {
    const id = pipelineJobId('run-1', 'Sales.Order[2/4]');
    expect(id).toBe(pipelineJobId('run-1', 'Sales.Order[2/4]'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const others = [pipelineJobId('run-1', 'Sales.Order[3/4]'), pipelineJobId('run-2', 'Sales.Order[2/4]')];
    expect(new Set([id, ...others]).size).toBe(3);
    // The separator keeps ('a', 'bc') and ('ab', 'c') apart.
    expect(pipelineJobId('a', 'bc')).not.toBe(pipelineJobId('ab', 'c'));
  });

  it('names a queue per run in the characters pg-boss allows, whatever the run id holds', () => {
    expect(runQueueName('sales 2024/ü')).toMatch(/^ferry-run-[0-9a-f]{16}$/);
    expect(runQueueName('a')).not.toBe(runQueueName('b'));
  });
});

describe('distributed settings', () => {
  it('defaults: schema ferry_jobs, 30 s expiry, 10 retries, 2 s retry delay, 1 s polls', () => {
    expect(resolveDistributedOptions()).toEqual({
      schema: 'ferry_jobs',
      expireSeconds: 30,
      retryLimit: 10,
      retryDelaySeconds: 2,
      pollSeconds: 1,
    });
  });

  it.each([
    [{ expireSeconds: 2 }, /distributed\.expireSeconds must be an integer >= 3/],
    [{ retryLimit: -1 }, /distributed\.retryLimit/],
    [{ schema: 'x; drop' }, /distributed\.schema/],
    [{ pollSeconds: 0 }, /distributed\.pollSeconds/],
  ])('refuses %j, naming the setting', (options, message) => {
    expect(() => resolveDistributedOptions(options)).toThrow(message);
  });
});

describe('ready pipelines', () => {
  it('offers a pipeline only once everything it depends on is complete', () => {
    expect(readyPipelines(plan, new Set())).toEqual(['Catalog.Category[1/2]', 'Catalog.Category[2/2]']);
    expect(readyPipelines(plan, new Set(['Catalog.Category[1/2]']))).toEqual(['Catalog.Category[2/2]']);
    expect(readyPipelines(plan, new Set(['Catalog.Category[1/2]', 'Catalog.Category[2/2]']))).toEqual([
      'Catalog.Product',
      'Catalog.Category#pass2',
    ]);
    expect(readyPipelines(plan, new Set(plan.entities.map((p) => p.entity)))).toEqual([]);
  });
});

describe('the coordinator view', () => {
  const names = plan.entities.map((p) => p.entity);

  it('emits start, durable batches and end from successive polls, with the checkpoints counts', () => {
    const events: RunEvent[] = [];
    const follow = new FollowEvents('r', names, (e) => events.push(e));
    const job = (pipeline: string, state: RunJob['state']): [string, RunJob] => [
      pipeline,
      { pipeline, state, retryCount: 0, expired: false },
    ];
    follow.poll(new Map(), new Map([job('Catalog.Category[1/2]', 'active')]));
    follow.poll(
      new Map([['Catalog.Category[1/2]', checkpoint('Catalog.Category[1/2]', 'running', 10)]]),
      new Map(),
    );
    follow.poll(
      new Map([['Catalog.Category[1/2]', checkpoint('Catalog.Category[1/2]', 'completed', 25)]]),
      new Map(),
    );
    expect(events.map((e) => e.type)).toEqual([
      'entity:start',
      'batch:durable',
      'batch:durable',
      'entity:end',
    ]);
    expect(events.at(-1)).toMatchObject({
      entity: 'Catalog.Category[1/2]',
      status: 'completed',
      rowsWritten: 25,
    });
  });

  it('results: completed, already completed before, failed with its job error, skipped behind it', () => {
    const follow = new FollowEvents('r', names, () => undefined);
    const checkpoints = new Map([
      ['Catalog.Category[1/2]', checkpoint('Catalog.Category[1/2]', 'completed', 5)],
      ['Catalog.Category[2/2]', checkpoint('Catalog.Category[2/2]', 'running', 3)],
    ]);
    const failed: RunJob = {
      pipeline: 'Catalog.Category[2/2]',
      state: 'failed',
      retryCount: 10,
      expired: false,
      error: { code: 'FERRY_UNREACHABLE', message: 'cannot reach the source database', reason: 'connection' },
    };
    const results = follow.results(
      checkpoints,
      new Map([[failed.pipeline, failed]]),
      true,
      new Set(['Catalog.Category[1/2]']),
    );
    expect(results.map((r) => [r.entity, r.status, r.skipReason])).toEqual([
      ['Catalog.Category[1/2]', 'skipped', 'completed'],
      ['Catalog.Category[2/2]', 'failed', undefined],
      ['Catalog.Product', 'skipped', 'dependency-failed'],
      ['Catalog.Category#pass2', 'skipped', 'dependency-failed'],
    ]);
    // The worker's code and reason survive, so the exit code is a local run's (connection: 5).
    expect(results[1]!.error).toMatchObject({ code: 'FERRY_UNREACHABLE', reason: 'connection' });
    expect(results[1]!.rowsWritten).toBe(3);
  });
});
