// `ferry init`: writes a starter config for the chosen source and target kinds. The kinds come from
// --source/--target, or from questions when stdin is a terminal; an existing file is kept unless
// --force. A `.json` path gets plain JSON, any other a commented TypeScript module.

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { FerryError } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { renderJsonConfig, renderTsConfig } from './init-render.js';
import {
  INIT_SOURCES,
  INIT_TARGETS,
  starterConfig,
  type InitSource,
  type InitTarget,
} from './starter-config.js';

/** Options of `ferry init`. */
export interface InitOptions {
  readonly source?: string;
  readonly target?: string;
  /** File to write; default `ferry.config.ts`. */
  readonly out?: string;
  readonly force?: boolean;
}

/** Whether `ferry init` may ask; tests and pipes never are a terminal. */
export interface InitPrompt {
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
  close?(): void;
}

function usage(message: string): FerryError {
  return new FerryError(message, { code: 'FERRY_INIT_USAGE', reason: 'invalid-config', operation: 'init' });
}

async function choose<K extends string>(
  flag: string,
  given: string | undefined,
  kinds: readonly K[],
  prompt: InitPrompt,
): Promise<K> {
  const isKind = (value: string): value is K => (kinds as readonly string[]).includes(value);
  if (given !== undefined) {
    if (isKind(given)) return given;
    throw usage(`--${flag} must be one of ${kinds.join(', ')}; got "${given}"`);
  }
  if (!prompt.interactive) throw usage(`pass --${flag} ${kinds.join('|')} (stdin is not a terminal)`);
  for (;;) {
    const answer = (await prompt.ask(`${flag} (${kinds.join(', ')}) [${kinds[0]}]: `)).trim();
    if (answer === '') return kinds[0]!;
    if (isKind(answer)) return answer;
  }
}

/** Builds the `init` handler; `prompt` defaults to questions on this process's terminal. */
export function initCommand(prompt?: InitPrompt): CommandHandler<InitOptions> {
  return async (context, options) => {
    const terminal = prompt ?? terminalPrompt();
    try {
      const source: InitSource = await choose('source', options.source, INIT_SOURCES, terminal);
      const target: InitTarget = await choose('target', options.target, INIT_TARGETS, terminal);
      const file = options.out ?? 'ferry.config.ts';
      const path = resolve(context.cwd, file);
      if (existsSync(path) && options.force !== true)
        throw usage(`${file} exists; pass --force to overwrite it`);
      const starter = starterConfig(source, target);
      const title = `Ferry: O11 on ${source} → ${target}.`;
      const json = file.endsWith('.json');
      await writeFile(path, json ? renderJsonConfig(starter) : renderTsConfig(starter, title));
      const { out } = context;
      out.line(`Wrote ${file} (${source} → ${target}).`);
      if (starter.env.length > 0) out.line('Set before running:');
      for (const e of starter.env) out.line(`  ${e.name}  ${e.holds}`);
      out.line('Then: ferry discover, ferry assess, ferry check, ferry plan, ferry run, ferry verify.');
      if (json)
        out.line('(JSON has no comments: `ferry init` without --out writes a commented ferry.config.ts.)');
      out.json({ ok: true, file, source, target, env: starter.env.map((e) => e.name) });
      return ExitCode.ok;
    } finally {
      terminal.close?.();
    }
  };
}

function terminalPrompt(): InitPrompt {
  const interactive = process.stdin.isTTY === true;
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  return {
    interactive,
    ask: (question) => rl!.question(question),
    close: () => rl?.close(),
  };
}
