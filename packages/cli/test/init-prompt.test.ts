// `ferry init` in a terminal: without flags it asks for the source and the target, repeats a question
// until the answer is a known kind, takes the first kind on an empty answer, and writes the config for
// the answers. A fake prompt stands in for the terminal; the written file is loaded by the CLI's loader.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { initCommand, type InitPrompt } from '../src/init/init-command.js';
import { CliOutput } from '../src/output/cli-output.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A terminal that answers from a list and records the questions. */
function terminal(answers: string[]): InitPrompt & { questions: string[] } {
  const questions: string[] = [];
  return {
    interactive: true,
    questions,
    ask: (question) => {
      questions.push(question);
      return Promise.resolve(answers.shift() ?? '');
    },
  };
}

async function initIn(prompt: InitPrompt): Promise<{ code: number; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-init-tty-'));
  dirs.push(dir);
  const stream = new PassThrough();
  const out = new CliOutput({
    json: false,
    quiet: false,
    verbose: false,
    stack: false,
    stdout: stream,
    stderr: stream,
    env: {},
  });
  const context = {
    out,
    cwd: dir,
    env: {},
    signal: new AbortController().signal,
    session: () => Promise.reject(new Error('unused')),
  };
  return { code: await initCommand(prompt)(context, {}), dir };
}

it('asks again on an unknown kind and writes the answered kinds', async () => {
  const prompt = terminal(['oracle', 'postgres', 'ndjson']);
  const { code, dir } = await initIn(prompt);
  expect(code).toBe(0);
  expect(prompt.questions).toEqual([
    'source (mariadb, postgres, mssql, sqlite) [mariadb]: ',
    'source (mariadb, postgres, mssql, sqlite) [mariadb]: ',
    'target (postgres, odc-rest, ndjson) [postgres]: ',
  ]);
  const { config } = await loadConfig(join(dir, 'ferry.config.ts'));
  expect(config.source).toMatchObject({ kind: 'o11-sql', client: 'pg' });
  expect(config.target).toMatchObject({ kind: 'ndjson' });
});

it('an empty answer takes the first kind', async () => {
  const { code, dir } = await initIn(terminal(['', '']));
  expect(code).toBe(0);
  const { config } = await loadConfig(join(dir, 'ferry.config.ts'));
  expect(config.source).toMatchObject({ client: 'mysql2' });
  expect(config.target).toMatchObject({ kind: 'postgres' });
});
