import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveEnv, validateConfig } from '../src/config/load-config.js';
import { formatError, scrubSecrets, exitCodeFor } from '../src/output/format-error.js';
import { ExitCode } from '../src/output/exit-codes.js';

const valid = {
  source: { kind: 'o11-sql', client: 'mysql2', connection: { env: 'O11_URL' } },
  target: { kind: 'postgres', connection: { env: 'ODC_URL' }, mode: 'copy' },
};

describe('config validation', () => {
  it('accepts a minimal valid config', () => {
    expect(validateConfig(valid).target.kind).toBe('postgres');
  });

  it.each([
    [{ ...valid, batchSize: 0 }, '/batchSize: must be >= 1'],
    [{ ...valid, extra: 1 }, '/extra: unknown property'],
    [{ target: valid.target }, '/source: is required'],
    [
      { ...valid, target: { kind: 'postgres', connection: 'postgres://u:secret@h/db' } },
      '/target/connection: must be object',
    ],
    [
      { ...valid, target: { kind: 'postgres', connection: { env: 'A' }, mode: 'fast' } },
      '/target/mode: must be one of ["copy","upsert","insert"]',
    ],
    [{ ...valid, source: { kind: 'o11-sql', client: 'sqlserver' } }, '/source/client: must be one of'],
    [{ ...valid, source: { kind: 'ftp' } }, '/source/kind'],
    [{ ...valid, runId: '../etc' }, '/runId: must match pattern'],
  ])('refuses %j with its JSON path', (config, expected) => {
    expect(() => validateConfig(config)).toThrow(expected);
  });

  it('reports every problem at once', () => {
    try {
      validateConfig({ ...valid, batchSize: -1, concurrency: 0 });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toContain('/batchSize');
      expect(String(error)).toContain('/concurrency');
    }
  });

  it('never echoes a literal connection string', () => {
    const secret = 'postgres://user:hunter2@db.example/prod';
    try {
      validateConfig({ ...valid, target: { kind: 'postgres', connection: secret } });
      expect.unreachable();
    } catch (error) {
      expect(formatError(error)).not.toContain('hunter2');
    }
  });
});

describe('loadConfig', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-config-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('loads a file and resolves its folder', async () => {
    const path = join(dir, 'ferry.config.json');
    await writeFile(path, JSON.stringify(valid));
    const loaded = await loadConfig(path);
    expect(loaded.baseDir).toBe(dir);
  });

  it('says a missing file is missing', async () => {
    await expect(loadConfig(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'FERRY_CONFIG_MISSING' });
  });

  it('says malformed JSON is malformed, with exit code usage', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{ "source": ');
    const error: unknown = await loadConfig(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FERRY_CONFIG_MALFORMED' });
    expect(exitCodeFor(error)).toBe(ExitCode.usage);
  });
});

describe('secrets', () => {
  it('resolves env references and names only the variable when missing', () => {
    expect(resolveEnv({ env: 'X' }, 'target', { X: 'postgres://a' })).toBe('postgres://a');
    expect(() => resolveEnv({ env: 'MISSING_VAR' }, 'target', {})).toThrow(
      'environment variable MISSING_VAR is not set',
    );
  });

  it('scrubs credentials from driver messages', () => {
    expect(scrubSecrets('connect to postgres://admin:pw@10.0.0.1/db failed')).toBe(
      'connect to postgres://***@10.0.0.1/db failed',
    );
  });
});
