// Reads, validates and resolves a ferry.config.json. Every problem is reported at once, each with its
// JSON path; secrets are read from the environment and never echoed back in messages.

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FerryError } from '@ferry/core';
import { Ajv, type ValidateFunction } from 'ajv';
import { describeIssue, parseJsonText } from '@ferry/mapping';
import { kinds } from '../kinds/kinds.js';
import { configSchemaFor } from './config-schema.js';
import { ConfigIssuesError, configIssueOf } from './config-issue.js';
import type { ConfigHooks } from './config-hooks.js';
import type { FerryConfig } from './config-types.js';

let compiled: { readonly version: number; readonly validate: ValidateFunction<FerryConfig> } | undefined;

/** The validator of the registered kinds, compiled again after a kind registers (tests, plugins). */
function validator(): ValidateFunction<FerryConfig> {
  if (compiled?.version !== kinds.version) {
    const ajv = new Ajv({
      allErrors: true,
      discriminator: true,
      strict: true,
      strictRequired: false,
      verbose: true,
    });
    compiled = { version: kinds.version, validate: ajv.compile<FerryConfig>(configSchemaFor(kinds)) };
  }
  return compiled.validate;
}

/** The registered kinds of a discriminated block, by its JSON path, to list in the error. */
function kindsAt(path: string): readonly string[] | undefined {
  if (path === '/source') return kinds.sources.map((k) => k.kind);
  if (path === '/target') return kinds.targets.map((k) => k.kind);
  return undefined;
}

/** A loaded config: the validated file plus the folder its relative paths are resolved against. */
export interface LoadedConfig {
  readonly config: FerryConfig;
  readonly path: string;
  readonly baseDir: string;
  /** Code hooks, from a `ferry.config.ts` / `.js` only. */
  readonly hooks: ConfigHooks;
}

/** The config files looked for, in order, when `--config` is not given. */
export const DEFAULT_CONFIG_FILES = ['ferry.config.json', 'ferry.config.ts', 'ferry.config.js'] as const;

/** The config path to use: the given one, else the first default file in `cwd` that exists. */
export function configPath(given: string | undefined, cwd: string = process.cwd()): string {
  if (given !== undefined) return given;
  return DEFAULT_CONFIG_FILES.find((name) => existsSync(resolve(cwd, name))) ?? DEFAULT_CONFIG_FILES[0];
}

/** Validates a parsed config object; throws a {@link ConfigIssuesError} listing every problem by path. */
export function validateConfig(value: unknown, label = 'config'): FerryConfig {
  const validate = validator();
  if (validate(value)) return value;
  const seen = new Set<string>();
  const issues = (validate.errors ?? [])
    .map((error) => configIssueOf(error, kindsAt))
    .filter((issue) => !seen.has(describeIssue(issue)) && seen.add(describeIssue(issue)));
  throw new ConfigIssuesError(`${label} is invalid`, issues, 'config.validate');
}

const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/** Reads and validates a config file: JSON, or a TS/JS module whose default export is the config. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  if (CODE_EXTENSIONS.has(extname(absolute))) return loadCodeConfig(path, absolute);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    throw new FerryError(`cannot read config file ${path}: create one with \`ferry init\` or pass --config`, {
      code: 'FERRY_CONFIG_MISSING',
      reason: 'not-found',
      operation: 'config.read',
      cause,
    });
  }
  const parsed = parseJsonText(text);
  if (parsed.problem !== undefined) {
    // Only line, column and what the parser expected: the file's text is never quoted (values).
    const issue = { path: '', code: 'FERRY_CONFIG_MALFORMED', ...parsed.problem } as const;
    throw new ConfigIssuesError(`config file ${path} is not valid JSON`, [issue], 'config.parse');
  }
  return {
    config: validateConfig(parsed.value, `config file ${path}`),
    path: absolute,
    baseDir: dirname(absolute),
    hooks: {},
  };
}

async function loadCodeConfig(path: string, absolute: string): Promise<LoadedConfig> {
  if (!existsSync(absolute)) {
    throw new FerryError(`cannot read config file ${path}: create it or pass --config`, {
      code: 'FERRY_CONFIG_MISSING',
      reason: 'not-found',
      operation: 'config.read',
    });
  }
  let module: { default?: unknown };
  try {
    if (/\.m?ts$/.test(absolute)) {
      // tsx compiles the TypeScript config on the fly (Node 20 cannot strip types by itself).
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(pathToFileURL(absolute).href, import.meta.url)) as { default?: unknown };
    } else {
      module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    }
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new FerryError(`config module ${path} failed to load: ${detail}`, {
      code: 'FERRY_CONFIG_MALFORMED',
      reason: 'invalid-config',
      operation: 'config.import',
      cause,
    });
  }
  let exported = module.default;
  // A .ts file outside an ESM package is compiled as CommonJS: its default export arrives wrapped.
  if (typeof exported === 'object' && exported !== null && 'default' in exported && !('source' in exported)) {
    exported = exported.default;
  }
  if (typeof exported !== 'object' || exported === null) {
    throw new FerryError(`config module ${path} must export the config object as its default export`, {
      code: 'FERRY_CONFIG_MALFORMED',
      reason: 'invalid-config',
      operation: 'config.import',
    });
  }
  const { hooks, ...data } = exported as { hooks?: ConfigHooks };
  return {
    config: validateConfig(data, `config module ${path}`),
    path: absolute,
    baseDir: dirname(absolute),
    hooks: hooks ?? {},
  };
}

export { resolveEnv } from './env-resolve.js';
