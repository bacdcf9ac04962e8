// The registry of source and target kinds: commands look a config's kind up here and ask it what to
// do, and the config schema is assembled from the kinds' own schemas. The built-in kinds are
// registered in kinds.ts, one line each; a kind is checked when it registers, so a declared command
// without its ability fails at start-up, not in a user's run.

import { FerryError } from '@ferry/core';
import type { KindConfig, SourceCommand, SourceKind, TargetCommand, TargetKind } from './kind-types.js';

const ABILITY: Readonly<
  Record<SourceCommand | TargetCommand, 'database' | 'verify' | 'diff' | 'sync' | 'truncate'>
> = {
  discover: 'database',
  assess: 'database',
  users: 'database',
  verify: 'verify',
  diff: 'diff',
  sync: 'sync',
  'reset --truncate': 'truncate',
};

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

function checkKind(
  side: 'source' | 'target',
  kind: SourceKind | TargetKind,
  taken: ReadonlyMap<string, unknown>,
): void {
  const name = kind.kind;
  if (taken.has(name)) throw new TypeError(`${side} kind "${name}" is registered twice`);
  if (kind.schema.properties.kind.const !== name)
    throw new TypeError(
      `${side} kind "${name}": its schema's kind is "${kind.schema.properties.kind.const}"`,
    );
  for (const [command, ability] of Object.entries(ABILITY)) {
    const declared = (kind.commands as readonly string[]).includes(command);
    if (declared && !(ability in kind))
      throw new TypeError(`${side} kind "${name}" declares \`ferry ${command}\` but has no ${ability}()`);
  }
}

/**
 * Source and target kinds by name. `S` and `T` are the unions of the registered kinds' config types
 * (what `FerryConfig['source']` and `['target']` are).
 *
 * @example
 * ```ts
 * const kinds = new KindRegistry().source(jsonSource).target(ndjsonTarget);
 * kinds.target({ kind: 'ndjson', dir: 'out' }).label(...);
 * ```
 */
export class KindRegistry<S extends KindConfig = never, T extends KindConfig = never> {
  /** The registered config types, for `SourceConfig` / `TargetConfig` (types only, never set). */
  declare readonly configs?: { readonly source: S; readonly target: T };
  readonly #sources = new Map<string, SourceKind>();
  readonly #targets = new Map<string, TargetKind>();
  #version = 0;

  /** Registers a source kind; throws a TypeError when it is already registered or inconsistent. */
  source<C extends KindConfig>(kind: SourceKind<C>): KindRegistry<S | C, T> {
    checkKind('source', kind, this.#sources);
    this.#sources.set(kind.kind, kind);
    this.#version += 1;
    return this;
  }

  /** Registers a target kind; throws a TypeError when it is already registered or inconsistent. */
  target<C extends KindConfig>(kind: TargetKind<C>): KindRegistry<S, T | C> {
    checkKind('target', kind, this.#targets);
    this.#targets.set(kind.kind, kind);
    this.#version += 1;
    return this;
  }

  /** Changes with every registration (the config validator is compiled again). */
  get version(): number {
    return this.#version;
  }

  /** The source kinds, in registration order. */
  get sources(): readonly SourceKind[] {
    return [...this.#sources.values()];
  }

  /** The target kinds, in registration order. */
  get targets(): readonly TargetKind[] {
    return [...this.#targets.values()];
  }

  /** The kind of a `source` block; throws `FERRY_CONFIG_INVALID` listing the kinds when unknown. */
  sourceOf(config: KindConfig): SourceKind {
    return this.#sources.get(config.kind) ?? unknownKind('source', config.kind, [...this.#sources.keys()]);
  }

  /** The kind of a `target` block; throws `FERRY_CONFIG_INVALID` listing the kinds when unknown. */
  targetOf(config: KindConfig): TargetKind {
    return this.#targets.get(config.kind) ?? unknownKind('target', config.kind, [...this.#targets.keys()]);
  }

  /** The source kind of `config`, or `FERRY_SOURCE_KIND` (exit 2) when it does not support `command`. */
  sourceFor(command: SourceCommand, config: KindConfig): SourceKind {
    const kind = this.sourceOf(config);
    if (kind.commands.includes(command)) return kind;
    const able = this.sources.filter((k) => k.commands.includes(command)).map((k) => k.kind);
    throw unsupported('source', command, config.kind, able);
  }

  /** The target kind of `config`, or `FERRY_TARGET_KIND` (exit 2) when it does not support `command`. */
  targetFor(command: TargetCommand, config: KindConfig): TargetKind {
    const kind = this.targetOf(config);
    if (kind.commands.includes(command)) return kind;
    const able = this.targets.filter((k) => k.commands.includes(command)).map((k) => k.kind);
    throw unsupported('target', command, config.kind, able);
  }
}

function unknownKind(side: 'source' | 'target', kind: string, known: readonly string[]): never {
  throw new FerryError(`unknown ${side}.kind "${kind}": the kinds are ${quoted(known)}`, {
    code: 'FERRY_CONFIG_INVALID',
    reason: 'invalid-config',
    operation: 'config.validate',
  });
}

function unsupported(
  side: 'source' | 'target',
  command: string,
  kind: string,
  able: readonly string[],
): FerryError {
  const needs =
    able.length === 0
      ? `a ${side} kind that supports it (none does)`
      : `${side}.kind ${able.map((k) => `"${k}"`).join(' or ')}`;
  return new FerryError(`ferry ${command} needs ${needs}; this config has "${kind}"`, {
    code: side === 'source' ? 'FERRY_SOURCE_KIND' : 'FERRY_TARGET_KIND',
    reason: 'invalid-config',
    operation: command,
  });
}
