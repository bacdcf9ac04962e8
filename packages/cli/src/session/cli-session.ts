// One command's connections and derived state, opened lazily and closed once: what the source and
// target kinds open (`shared`: a knex, a pool), the discovered catalog, the mapping (compiled), the
// checkpoint store. Commands ask for what they need, so `discover` never touches the target and
// `status` never the source; what a kind can do, they ask its kind (kinds/kinds.ts).

import { resolve } from 'node:path';
import { FerryError, FileCheckpointStore } from '@ferry/core';
import type { CheckpointStore } from '@ferry/core';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { compileMapping } from '@ferry/mapping';
import type { CompiledMapping, MappingSpec, O11Catalog } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { PgPool } from '@ferry/adapters/postgres';
import type { LoadedConfig } from '../config/load-config.js';
import { kinds } from '../kinds/kinds.js';
import type { SourceKind, SourceParts, TargetKind } from '../kinds/kind-types.js';
import { loadMapping } from './mapping-load.js';

/** Throws `FERRY_UNKNOWN_ENTITY` naming the wanted entities that are not known. */
export function checkEntities(wanted: readonly string[], known: readonly string[]): void {
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, ...` : known.join(', ');
  throw new FerryError(`unknown entity ${unknown.map((n) => `"${n}"`).join(', ')}: known are ${list}`, {
    code: 'FERRY_UNKNOWN_ENTITY',
    reason: 'not-found',
    operation: 'cli.entities',
    entity: unknown[0],
  });
}

/** Lazily opened resources of one command. */
export class CliSession {
  readonly loaded: LoadedConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly #shared = new Map<string, { opened: Promise<unknown>; close: (value: never) => Promise<void> }>();
  #catalog: Promise<O11Catalog> | undefined;
  #mapping: Promise<MappingSpec> | undefined;
  #compiled: Promise<CompiledMapping> | undefined;
  #checkpoints: CheckpointStore | undefined;

  constructor(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env) {
    this.loaded = loaded;
    this.env = env;
  }

  /** The run id: the config's, else `default`. */
  get runId(): string {
    return this.loaded.config.runId ?? 'default';
  }

  /** The kind of the config's source. */
  get sourceKind(): SourceKind {
    return kinds.sourceOf(this.loaded.config.source);
  }

  /** The kind of the config's target. */
  get targetKind(): TargetKind {
    return kinds.targetOf(this.loaded.config.target);
  }

  /** A path relative to the config file. */
  path(relative: string): string {
    return resolve(this.loaded.baseDir, relative);
  }

  /**
   * What a kind opens once per command under `key` (a connection), closed by {@link close} with
   * `close`, in the order opened. A failed open is not retried within the command.
   */
  shared<T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>): Promise<T> {
    let entry = this.#shared.get(key);
    if (entry === undefined) {
      entry = { opened: open(), close: close };
      this.#shared.set(key, entry);
    }
    return entry.opened as Promise<T>;
  }

  /** The O11 source database (a source kind with a database: discover, assess, users). */
  source(): Promise<Knex> {
    const kind = this.sourceKind;
    if (kind.database === undefined)
      return Promise.reject(this.#needs('an O11 database source', 'source', 'database'));
    return kind.database(this, this.loaded.config.source);
  }

  /** Whether the source carries an O11 catalog (else the mapping file stands for it). */
  get hasCatalog(): boolean {
    return this.sourceKind.catalog !== undefined;
  }

  /** The O11 catalog (active model of the configured modules). */
  catalog(): Promise<O11Catalog> {
    const kind = this.sourceKind;
    if (kind.catalog === undefined)
      return Promise.reject(this.#needs('an O11 database source', 'source', 'catalog'));
    this.#catalog ??= kind.catalog(this, this.loaded.config.source);
    return this.#catalog;
  }

  /** Where the run's rows come from (the source kind's parts). */
  sourceParts(): Promise<SourceParts> {
    return this.sourceKind.parts(this, this.loaded.config.source);
  }

  /** The mapping spec (file or generated). */
  mapping(): Promise<MappingSpec> {
    const { config } = this.loaded;
    const why = this.sourceKind.noCatalog ?? 'it carries no O11 catalog to generate one from';
    if (!this.hasCatalog && config.mapping === undefined) {
      return Promise.reject(
        new FerryError(
          `source.kind "${config.source.kind}" needs a mapping file (config "mapping"): ${why}`,
          { code: 'FERRY_MAPPING_MISSING', reason: 'invalid-config', operation: 'mapping.read' },
        ),
      );
    }
    this.#mapping ??= loadMapping(this.loaded, () => this.catalog());
    return this.#mapping;
  }

  /** The compiled mapping. */
  compiled(): Promise<CompiledMapping> {
    this.#compiled ??= this.mapping().then((spec) => compileMapping(spec, { env: this.env }));
    return this.#compiled;
  }

  /** The mapping's entity names the command works on: the config's `entities` or `--entity`, checked. */
  async entityNames(requested?: readonly string[]): Promise<readonly string[]> {
    const compiled = await this.compiled();
    const known = compiled.entities.map((e) => e.name);
    const wanted = requested ?? this.loaded.config.entities ?? known;
    checkEntities(wanted, known);
    return wanted;
  }

  /** The target's PostgreSQL pool (a target kind with a database, e.g. `postgres`). */
  target(): Promise<PgPool> {
    const kind = this.targetKind;
    if (kind.pool === undefined) {
      const state = this.loaded.config.state?.kind === 'postgres';
      const hint = state
        ? ' (state.kind "postgres" lives in the target database: use state.kind "file")'
        : '';
      return Promise.reject(this.#needs('a PostgreSQL target', 'target', 'pool', hint));
    }
    return kind.pool(this, this.loaded.config.target);
  }

  /** The checkpoint store: the config's `state`, else PostgreSQL in a target that has it, else files. */
  async checkpoints(): Promise<CheckpointStore> {
    if (this.#checkpoints !== undefined) return this.#checkpoints;
    const { state } = this.loaded.config;
    if (state?.kind === 'file' || (state === undefined && this.targetKind.pool === undefined)) {
      this.#checkpoints = new FileCheckpointStore(this.path(state?.dir ?? '.ferry/state'));
    } else {
      const schema = state?.kind === 'postgres' ? state.schema : undefined;
      this.#checkpoints = new PostgresCheckpointStore({
        pool: await this.target(),
        ...(schema === undefined ? {} : { schema }),
      });
    }
    return this.#checkpoints;
  }

  /** `FERRY_SOURCE_KIND` / `FERRY_TARGET_KIND`: the command needs an ability the kind lacks. */
  #needs(
    what: string,
    side: 'source' | 'target',
    ability: 'database' | 'catalog' | 'pool',
    hint = '',
  ): FerryError {
    const list = side === 'source' ? kinds.sources : kinds.targets;
    const able = list.filter((k) => ability in k).map((k) => `${side}.kind "${k.kind}"`);
    const kind = side === 'source' ? this.loaded.config.source.kind : this.loaded.config.target.kind;
    return new FerryError(`this command needs ${what} (${able.join(' or ')}), not "${kind}"${hint}`, {
      code: side === 'source' ? 'FERRY_SOURCE_KIND' : 'FERRY_TARGET_KIND',
      reason: 'invalid-config',
      operation: 'cli',
    });
  }

  /** Closes whatever was opened, in the order it was opened. */
  async close(): Promise<void> {
    for (const { opened, close } of this.#shared.values()) {
      const value = await opened.catch(() => undefined);
      if (value !== undefined) await close(value as never).catch(() => undefined);
    }
  }
}
