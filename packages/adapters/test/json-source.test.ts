// jsonSource on temp files: array and NDJSON layouts, exact numbers, tricky strings, resume by byte
// offset (proved by overwriting the bytes before the offset), resume without an offset, early break,
// invalid input, the core conformance suite, and flat memory on a large file in a child process.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { FerryError } from '@ferry/core';
import type { Position, Source } from '@ferry/core';
import { describeSourceConformance, sortById, readAll } from '@ferry/core/testing';
import { jsonSource } from '@ferry/adapters/json';
import type { JsonFormat } from '@ferry/adapters/json';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'ferry_t_json_'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, `${randomBytes(4).toString('hex')}-${name}`);
  writeFileSync(path, text);
  return path;
};

const ROWS: Record<string, unknown>[] = Array.from({ length: 23 }, (_, i) => ({
  ID: `__${9007199254740993n + BigInt(i)}__`,
  NAME: i % 3 === 0 ? 'brace } and ] and "quote" and \\ and \n newline' : `Zoë 🚀 e\u0301 ${i}`,
  TOTAL: '__99999999999999999999999999999.99999999__',
  SMALL: '__0.10__',
  FLAG: i % 2 === 0,
  NESTED: { a: [1, { b: '}' }] },
}));
// JSON text with raw (unquoted) big numbers: the __x__ markers are unquoted after stringify.
const raw = (row: Record<string, unknown>): string => JSON.stringify(row).replace(/"__([-0-9.]+)__"/g, '$1');
const write = (format: JsonFormat, rows = ROWS, pretty = false): string =>
  format === 'ndjson'
    ? file('rows.ndjson', rows.map(raw).join('\n') + '\n')
    : file('rows.json', pretty ? `[\n  ${rows.map(raw).join(',\n  ')}\n]\n` : `[${rows.map(raw).join(',')}]`);

describe.each([
  ['array', false],
  ['array', true],
  ['ndjson', false],
] as const)('jsonSource %s (pretty %s)', (format, pretty) => {
  test('reads every row with numbers as exact text', async () => {
    const { rows, batches } = await readAll(jsonSource({ path: write(format, ROWS, pretty), format }), 5);
    expect(rows).toHaveLength(23);
    expect(batches.map((b) => b.rows.length)).toEqual([5, 5, 5, 5, 3]);
    expect(rows[0]).toEqual({
      ID: '9007199254740993',
      NAME: 'brace } and ] and "quote" and \\ and \n newline',
      TOTAL: '99999999999999999999999999999.99999999',
      SMALL: '0.10',
      FLAG: true,
      NESTED: { a: ['1', { b: '}' }] },
    });
    expect(rows[22]?.ID).toBe('9007199254741015');
  });

  test('resumes at the byte offset without reading what came before', async () => {
    const path = write(format, ROWS, pretty);
    const all = await readAll(jsonSource({ path, format }), 4);
    const position = all.batches[2]!.position as { byteOffset: number };
    expect(position).toEqual(
      format === 'array'
        ? { index: 11, byteOffset: expect.any(Number) }
        : { line: 12, byteOffset: expect.any(Number) },
    );
    // Overwrite everything before the offset: a resume that re-parsed from the start would fail.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(position.byteOffset, 'X'), 0, position.byteOffset, 0);
    closeSync(fd);
    const resumed = await readAll(
      jsonSource({ path, format }),
      5,
      JSON.parse(JSON.stringify(position)) as Position,
    );
    expect(resumed.rows).toEqual(all.rows.slice(12));
    const next = resumed.batches[0]!.position as { byteOffset: number };
    expect(next.byteOffset).toBeGreaterThan(position.byteOffset);
  });

  test('resumes without a byte offset by skipping', async () => {
    const path = write(format, ROWS, pretty);
    const after = format === 'array' ? { index: 6 } : { line: 7 };
    expect((await readAll(jsonSource({ path, format }), 4, after)).rows.map((r) => r.ID)).toEqual(
      ROWS.slice(7).map((r) => String(r.ID).replaceAll('_', '')),
    );
  });

  test('the last position resumes to nothing', async () => {
    const path = write(format, ROWS, pretty);
    const all = await readAll(jsonSource({ path, format }), 100);
    expect((await readAll(jsonSource({ path, format }), 100, all.batches.at(-1)!.position)).rows).toEqual([]);
  });
});

const openFiles = (): number => readdirSync('/proc/self/fd').length;

test('early break closes the file', async () => {
  const path = write('ndjson');
  const before = openFiles();
  for (let i = 0; i < 5; i++) {
    for await (const batch of jsonSource({ path, format: 'ndjson' }).read({ batchSize: 2 })) {
      expect(batch.rows).toHaveLength(2);
      break;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(openFiles()).toBeLessThanOrEqual(before);
});

test('invalid input gives classified FerryErrors', async () => {
  const error = async (source: Source, after?: Position): Promise<unknown> =>
    readAll(source, 10, after).catch((e: unknown) => e);
  expect(await error(jsonSource({ path: join(dir, 'missing.json'), format: 'array' }))).toMatchObject({
    reason: 'not-found',
  });
  expect(
    await error(jsonSource({ path: file('bad.json', '[{"a":1},{"a":'), format: 'array' })),
  ).toMatchObject({
    reason: 'invalid-data',
  });
  expect(await error(jsonSource({ path: file('scalar.json', '[1,2]'), format: 'array' }))).toMatchObject({
    reason: 'invalid-data',
  });
  const wrong = await error(jsonSource({ path: write('array'), format: 'array' }), { key: ['1'] });
  expect(wrong).toBeInstanceOf(FerryError);
  expect(wrong).toMatchObject({ reason: 'invalid-config' });
});

for (const format of ['array', 'ndjson'] as const) {
  describeSourceConformance(`jsonSource (${format})`, {
    async setup() {
      let path = '';
      return {
        seed: async (rows) => {
          path = write(format, sortById(rows));
        },
        source: () => jsonSource({ path, format }),
        openResources: () => 0,
        teardown: async () => rmSync(path, { force: true }),
      };
    },
  });
}

// Large files in child processes (both layouts at once): memory must stay flat. The default 200 MB is
// well above V8's heap slack, so a source that buffered the file would blow the bound; set
// FERRY_JSON_MEMORY_MB=1024 for the full 1 GB run (about 2-3 minutes per layout on a busy 2-core box).
test('flat memory on large array and NDJSON files', async () => {
  const megabytes = Number(process.env.FERRY_JSON_MEMORY_MB ?? 200);
  const child = fileURLToPath(new URL('./fixtures/json-memory-child.ts', import.meta.url));
  const run = async (format: JsonFormat): Promise<Record<string, number | string>> => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', child, format, String(megabytes)],
      { encoding: 'utf8', timeout: 1_800_000 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
  };
  for (const result of await Promise.all([run('array'), run('ndjson')])) {
    expect(result.rows).toBe(result.written);
    expect(result.lastId).toBe(String(9007199254740993n + BigInt(Number(result.written) - 1)));
    expect(Number(result.size)).toBeGreaterThan(megabytes * 1024 * 1024);
    // The RSS growth while streaming stays well under half the file, and bounded in absolute terms.
    expect(Number(result.peak) - Number(result.baseline)).toBeLessThan(96 * 1024 * 1024);
    expect(Number(result.peak)).toBeLessThan(256 * 1024 * 1024);
  }
}, 1_800_000);
