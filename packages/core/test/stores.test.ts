import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore, MemoryIdMapStore, MemoryRejectSink, NdjsonFileRejectSink } from '@ferry/core';
import { testCheckpoint } from '@ferry/core/testing';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-stores-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('FileCheckpointStore', () => {
  it('writes one pretty JSON file per run with only checkpoint fields', async () => {
    const dir = await tempDir();
    const store = new FileCheckpointStore(dir);
    await store.save(testCheckpoint('run-7', 'Customer', 2));
    const text = await readFile(join(dir, 'run-7.json'), 'utf8');
    expect(text).toContain('\n  "runId": "run-7"');
    expect(JSON.parse(text)).toEqual({
      version: 1,
      runId: 'run-7',
      entities: { Customer: testCheckpoint('run-7', 'Customer', 2) },
    });
  });

  it('refuses run ids that are not safe file names, and reports a corrupt file instead of restarting', async () => {
    const dir = await tempDir();
    const store = new FileCheckpointStore(dir);
    await expect(store.load('../etc/passwd', 'E')).rejects.toMatchObject({ reason: 'invalid-config' });
    await writeFile(join(dir, 'bad.json'), '{"version":1,"entities":{"E":');
    await expect(store.load('bad', 'E')).rejects.toMatchObject({ code: 'FERRY_CHECKPOINT_CORRUPT' });
  });
});

describe('reject sinks and id maps', () => {
  it('NdjsonFileRejectSink appends one JSON record per line across instances', async () => {
    const path = join(await tempDir(), 'nested', 'rejects.ndjson');
    const first = new NdjsonFileRejectSink(path);
    await first.write([{ entity: 'E', key: ['1'], rule: 'mandatory', message: 'Name is empty' }]);
    await first.write([]);
    await first.close();
    const second = new NdjsonFileRejectSink(path);
    await Promise.all([
      second.write([{ entity: 'E', key: ['2'], attribute: 'Name', rule: 'max-length', message: 'too long' }]),
      second.write([{ entity: 'E', key: ['3'], rule: 'x', message: 'y' }]),
    ]);
    await second.close();
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string[] });
    expect(lines.map((l) => l.key[0])).toEqual(['1', '2', '3']);
  });

  it('MemoryRejectSink keeps records in order', async () => {
    const sink = new MemoryRejectSink();
    await sink.write([{ entity: 'E', key: ['1'], rule: 'r', message: 'm' }]);
    expect(sink.records).toHaveLength(1);
  });

  it('MemoryIdMapStore returns known keys only and keeps 64-bit keys exact', async () => {
    const ids = new MemoryIdMapStore();
    await ids.put('Customer', [
      ['9007199254740993', '18446744073709551615'],
      ['2', '20'],
    ]);
    await ids.put('Customer', [['2', '20']]);
    const found = await ids.get('Customer', ['9007199254740993', '404']);
    expect([...found]).toEqual([['9007199254740993', '18446744073709551615']]);
    expect(ids.size('Customer')).toBe(2);
    expect((await ids.get('Other', ['2'])).size).toBe(0);
  });
});
