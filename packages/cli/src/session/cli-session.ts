// One command's connections and derived state, opened lazily and closed once: the source knex, the
// discovered catalog, the mapping (compiled), the target pool, the checkpoint store. Commands ask for
// what they need, so `discover` never touches the target and `status` never the source.

import { resolve } from 'node:path';
import { FerryError, FileCheckpointStore } from '@ferry/core';
import type { CheckpointStore } from '@ferry/core';
import { PostgresCheckpointStore } from '@ferry/adapters/postgres';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import { compileMapping } from '@ferry/mapping';
import type { CompiledMapping, MappingSpec, O11Catalog } from '@ferry/mapping';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { LoadedConfig } from '../config/load-config.js';
import { connectSource, sourceLabel } from '../connect/source-connect.js';
import { connectSqlServerPool, sqlServerConfig } from '../connect/sqlserver-connect.js';
import type { SqlServerPool } from '../connect/sqlserver-connect.js';
import { resolveEnv } from '../config/load-config.js';
import { connectTarget } from '../connect/target-connect.js';
import { unreachable } from '../connect/unreachable.js';
import { connectionBudget } from './connection-budget.js';
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
  #source: Promise<Knex> | undefined;
  #sqlServer: Promise<SqlServerPool> | undefined;
  #catalog: Promise<O11Catalog> | undefined;
  #mapping: Promise<MappingSpec> | undefined;
  #compiled: Promise<CompiledMapping> | undefined;
  #target: Promise<pg.Pool> | undefined;
  #checkpoints: CheckpointStore | undefined;

  constructor(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env) {
    this.loaded = loaded;
    this.env = env;
  }

  /** The run id: the config's, else `default`. */
  get runId(): string {
    return this.loaded.config.runId ?? 'default';
  }

  /** A path relative to the config file. */
  path(relative: string): string {
    return resolve(this.loaded.baseDir, relative);
  }

  /** The O11 source database. */
  source(): Promise<Knex> {
    const source = this.loaded.config.source;
    if (source.kind !== 'o11-sql') {
      return Promise.reject(
        new FerryError(
          `this command needs an O11 database source (source.kind "o11-sql"), not "${source.kind}"`,
          {
            code: 'FERRY_SOURCE_KIND',
            reason: 'invalid-config',
            operation: 'cli',
          },
        ),
      );
    }
    this.#source ??= connectSource(
      source,
      this.loaded.baseDir,
      this.env,
      connectionBudget(this.loaded.config).source,
    );
    return this.#source;
  }

  /**
   * The `mssql` pool entity rows are read through when the source is SQL Server (the source knex
   * serves discovery and assess only).
   */
  sqlServerPool(): Promise<SqlServerPool> {
    this.#sqlServer ??= (async () => {
      const source = this.loaded.config.source;
      if (source.kind !== 'o11-sql' || source.client !== 'mssql' || source.connection === undefined) {
        throw new TypeError('sqlServerPool: the source is not SQL Server');
      }
      const url = resolveEnv(source.connection, 'source.connection', this.env);
      return connectSqlServerPool(await sqlServerConfig(url, source.connection.env), sourceLabel(source));
    })();
    return this.#sqlServer;
  }

  /** The O11 catalog (active model of the configured modules). */
  catalog(): Promise<O11Catalog> {
    this.#catalog ??= (async () => {
      const db = await this.source();
      const source = this.loaded.config.source;
      const modules = source.kind === 'o11-sql' ? source.modules : undefined;
      const schema = source.kind === 'o11-sql' && source.client === 'mssql' ? 'dbo' : undefined;
      return discoverO11Catalog(db, { modules, schema }).catch((error: unknown) => {
        if (error instanceof FerryError) throw error;
        throw unreachable(source.kind === 'o11-sql' ? sourceLabel(source) : 'source', error);
      });
    })();
    return this.#catalog;
  }

  /** The mapping spec (file or generated). */
  mapping(): Promise<MappingSpec> {
    const { config } = this.loaded;
    if (config.source.kind === 'json' && config.mapping === undefined) {
      return Promise.reject(
        new FerryError(
          'source.kind "json" needs a mapping file (config "mapping"): JSON files carry no O11 catalog to generate one from',
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

  /** The PostgreSQL target pool. */
  target(): Promise<pg.Pool> {
    const target = this.loaded.config.target;
    if (target.kind !== 'postgres') {
      return Promise.reject(
        new FerryError(
          `this command needs a PostgreSQL target (target.kind "postgres"), not "${target.kind}"${this.loaded.config.state?.kind === 'postgres' ? ' (state.kind "postgres" lives in the target database: use state.kind "file")' : ''}`,
          {
            code: 'FERRY_TARGET_KIND',
            reason: 'invalid-config',
            operation: 'cli',
          },
        ),
      );
    }
    this.#target ??= connectTarget(target, this.env, connectionBudget(this.loaded.config).target);
    return this.#target;
  }

  /** The checkpoint store: the config's `state`, else PostgreSQL beside a postgres target, else files. */
  async checkpoints(): Promise<CheckpointStore> {
    if (this.#checkpoints !== undefined) return this.#checkpoints;
    const { state, target } = this.loaded.config;
    if (state?.kind === 'file' || (state === undefined && target.kind !== 'postgres')) {
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

  /** Closes whatever was opened. */
  async close(): Promise<void> {
    const settle = async <T>(p: Promise<T> | undefined, end: (value: T) => Promise<void>): Promise<void> => {
      if (p === undefined) return;
      const value = await p.catch(() => undefined);
      if (value !== undefined) await end(value).catch(() => undefined);
    };
    await settle(this.#source, (db) => db.destroy());
    await settle(this.#sqlServer, async (pool) => void (await pool.close()));
    await settle(this.#target, (pool) => pool.end());
  }
}
