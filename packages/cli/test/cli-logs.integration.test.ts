// Logs for machines: `ferry --log-format json run` writes stderr as one JSON object per line (pino),
// each with an ISO time, a level and an event, and every runner event of an entity with the run id and
// the entity; errors are JSON lines too. Without the flag, off a terminal, every progress line starts
// with an ISO timestamp. Through the real command against MariaDB and PostgreSQL.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

let fixture: Fixture;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeAll(async () => {
  fixture = await openFixture(150);
  expect((await cli('discover')).code).toBe(ExitCode.ok);
}, 240_000);
afterAll(async () => fixture?.drop());

describe('--log-format json', () => {
  it('run: every stderr line is a JSON event with time, level, event, runId and entity', async () => {
    const result = await cli('--log-format', 'json', 'run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/total\s+completed/);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const e of events) {
      expect(e['time'], JSON.stringify(e)).toMatch(ISO);
      expect(['debug', 'info', 'warn', 'error']).toContain(e['level']);
      expect(typeof e['event']).toBe('string');
    }
    const runId = String(fixture.config.runId);
    const ofEntities = events.filter((e) => String(e['event']).startsWith('entity:'));
    for (const e of ofEntities) expect(e).toMatchObject({ runId, entity: expect.any(String) });
    const ended = ofEntities.filter((e) => e['event'] === 'entity:end');
    const started = ofEntities.filter((e) => e['event'] === 'entity:start');
    expect(ended.map((e) => e['entity']).sort()).toEqual(started.map((e) => e['entity']).sort());
    expect(ended.map((e) => e['entity'])).toContain('Sales.Order');
    for (const e of ended) {
      expect(e).toMatchObject({ level: 'info', status: 'completed' });
      expect(e['rowsRead']).toBe(
        Number(e['rowsWritten']) + Number(e['rowsRejected']) + Number(e['rowsFiltered']),
      );
    }
    expect(events.find((e) => e['event'] === 'run:end')).toMatchObject({ runId, status: 'completed' });
  }, 240_000);

  it('an error is a JSON line too', async () => {
    const result = await cli('--log-format', 'json', 'verify', '-e', 'Sales.Nope');
    expect(result.code).toBe(ExitCode.usage);
    const line = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', event: 'error' });
    expect(line['time']).toMatch(ISO);
    expect(String(line['msg'])).toContain('FERRY_UNKNOWN_ENTITY');
  });

  it('without it, off a terminal, each progress line starts with an ISO timestamp', async () => {
    expect((await cli('reset', '--yes', '--truncate')).code).toBe(ExitCode.ok);
    const result = await cli('run');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const progress = result.stderr.split('\n').filter((line) => /: (started|completed)/.test(line));
    expect(progress.length).toBeGreaterThanOrEqual(2 * 6);
    for (const line of progress) expect(line.split(' ')[0], line).toMatch(ISO);
  }, 240_000);
});
