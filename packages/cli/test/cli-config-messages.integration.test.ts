// What a user sees for a config or mapping file that is wrong, through the real `ferry` command:
// did-you-mean for a misspelt key (top level, inside source/target, in the mapping file), line and
// column for text that is not JSON (and none of its text), the list of kinds for an unknown kind, and
// `--json` errors as an array of issues, one per problem.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { configDir, ferry } from './cli-harness.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dirWith(config: unknown): Promise<string> {
  const dir = await configDir(config);
  dirs.push(dir);
  return dir;
}

/** A json → ndjson project (no database) whose mapping file is `mapping` as written. */
async function projectWithMapping(mapping: string): Promise<string> {
  const dir = await dirWith({
    source: { kind: 'json', dir: 'export' },
    target: { kind: 'ndjson', dir: 'out' },
    mapping: 'ferry.mapping.json',
  });
  await writeFile(join(dir, 'ferry.mapping.json'), mapping);
  return dir;
}

interface Issue {
  path?: string;
  message: string;
  code: string;
  suggestion?: string;
  line?: number;
  column?: number;
}

async function jsonIssues(dir: string, command = 'plan'): Promise<Issue[]> {
  const result = await ferry(['--json', command], { cwd: dir });
  expect(result.code, result.stderr).toBe(ExitCode.usage);
  const doc = JSON.parse(result.stdout) as { ok: boolean; issues: Issue[] };
  expect(doc.ok).toBe(false);
  return doc.issues;
}

const valid = {
  source: { kind: 'o11-sql', client: 'mysql2', connection: { env: 'O11_URL' } },
  target: { kind: 'postgres', connection: { env: 'ODC_URL' } },
};

// Three near misses (one a swap of two letters) and one key that is like no allowed key.
const MISSPELT = {
  source: { kind: 'o11-sql', client: 'mysql2', conection: { env: 'O11_URL' } },
  target: { kind: 'postgres', connection: { env: 'ODC_URL' }, mdoe: 'copy' },
  batchsize: 500,
  colour: 'red',
};

describe('config keys that are not known', () => {
  it('suggests the allowed key at that path, only when it is close', async () => {
    const result = await ferry(['plan'], { cwd: await dirWith(MISSPELT) });
    expect(result.code).toBe(ExitCode.usage);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      'ferry: config file ferry.config.json is invalid:',
      '  /batchsize: unknown property; did you mean "batchSize"?',
      '  /colour: unknown property',
      '  /source/conection: unknown property; did you mean "connection"?',
      '  /target/mdoe: unknown property; did you mean "mode"? [FERRY_CONFIG_INVALID]',
    ]);
  });

  it('gives --json issues, one per problem, with the suggestion as a field', async () => {
    const issues = await jsonIssues(await dirWith(MISSPELT));
    const code = 'FERRY_CONFIG_INVALID';
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/batchsize', message: 'unknown property', code, suggestion: 'batchSize' },
        { path: '/colour', message: 'unknown property', code },
        { path: '/source/conection', message: 'unknown property', code, suggestion: 'connection' },
        { path: '/target/mdoe', message: 'unknown property', code, suggestion: 'mode' },
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('lists the kinds for an unknown kind, and suggests a close one', async () => {
    const config = { ...valid, target: { kind: 'postgress', connection: { env: 'ODC_URL' } } };
    const result = await ferry(['plan'], { cwd: await dirWith(config) });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain(
      '/target/kind: unknown or missing kind "postgress"; the kinds are "postgres", "odc-rest", "ndjson"; did you mean "postgres"?',
    );
    const far = await jsonIssues(await dirWith({ ...valid, source: { kind: 'ftp' } }));
    expect(far).toEqual([
      {
        path: '/source/kind',
        message: 'unknown or missing kind "ftp"; the kinds are "o11-sql", "json"',
        code: 'FERRY_CONFIG_INVALID',
      },
    ]);
  });
});

describe('config text that is not JSON', () => {
  const SECRET = 'hunter2-not-in-any-output';
  // Line 3 lacks the colon after "client"; line 4 holds a literal the user would not want echoed.
  const TEXT = `{\n  "source": {\n    "client" "mysql2",\n    "connection": "mysql://u:${SECRET}@h/db"\n  }\n}\n`;

  it('says line and column and what was expected, quoting none of the text', async () => {
    const result = await ferry(['plan'], { cwd: await dirWith(TEXT) });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr.trim()).toBe(
      "ferry: config file ferry.config.json is not valid JSON:\n  line 3, column 14: expected ':' after a property name [FERRY_CONFIG_MALFORMED]",
    );
  });

  it('does not echo a value V8 would quote (an unquoted literal)', async () => {
    const text = `{ "target": ${SECRET} }`;
    const result = await ferry(['plan'], { cwd: await dirWith(text) });
    expect(result.stderr).toContain('line 1, column 13: unexpected character');
    const json = await ferry(['--json', 'plan'], { cwd: await dirWith(text) });
    expect(result.stderr + json.stdout + json.stderr).not.toContain(SECRET);
  });

  it('gives the line and column as fields with --json', async () => {
    const issues = await jsonIssues(await dirWith(TEXT));
    expect(issues).toEqual([
      {
        path: '',
        message: "expected ':' after a property name",
        code: 'FERRY_CONFIG_MALFORMED',
        line: 3,
        column: 14,
      },
    ]);
  });
});

describe('mapping file', () => {
  const MAPPING = {
    version: 1,
    entities: [
      {
        source: { module: 'Sales', entity: 'Customer' },
        target: { schema: 'sales', table: 'customer' },
        key: ['Id'],
        attributes: {
          Id: { type: 'rtLongInteger', mandatory: true },
          Name: { type: 'rtText', lenght: 100 },
        },
      },
    ],
  };

  it('suggests the attribute option a misspelt one meant', async () => {
    const dir = await projectWithMapping(JSON.stringify(MAPPING, null, 2));
    const result = await ferry(['plan'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain(
      '/entities/0/attributes/Name/lenght: is not a known property (check its spelling); did you mean "length"?',
    );
    expect(await jsonIssues(dir)).toEqual([
      {
        path: '/entities/0/attributes/Name/lenght',
        message: 'is not a known property (check its spelling)',
        code: 'FERRY_MAPPING_INVALID',
        suggestion: 'length',
      },
    ]);
  });

  it('says line and column of a syntax error', async () => {
    // A trailing comma: the parser stops at the closing brace, line 4 column 1.
    const dir = await projectWithMapping('{\n  "version": 1,\n  "entities": [],\n}\n');
    const result = await ferry(['plan'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('line 4, column 1: must be valid JSON (expected a property name');
    const [issue] = await jsonIssues(dir);
    expect(issue).toMatchObject({ path: '', line: 4, column: 1, code: 'FERRY_MAPPING_INVALID' });
  });
});

describe("--json errors that are not about a file's content", () => {
  it('are one issue, with the code and no path', async () => {
    const dir = await dirWith({});
    await rm(join(dir, 'ferry.config.json'));
    expect(await jsonIssues(dir)).toEqual([
      {
        message: 'cannot read config file ferry.config.json: create one with `ferry init` or pass --config',
        code: 'FERRY_CONFIG_MISSING',
      },
    ]);
  });
});
