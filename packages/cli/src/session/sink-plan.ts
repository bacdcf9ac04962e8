// The plan of a run into a file or ODC target: the mapping's pipelines (planFromMapping, as
// @ferry/adapters/migration does for PostgreSQL) with the session's source and an `ndjsonSink` per
// entity, or an `odcRestSink` per entity whose returned ids go to a JSON Lines id map in the state
// folder, so a resumed run remaps references to the ids ODC already issued.

import { join } from 'node:path';
import { FerryError } from '@ferry/core';
import type { CheckpointStore, IdMapStore, Plan, Row, Sink } from '@ferry/core';
import { idMapParentKeys, JsonlIdMapStore, odcRestSink } from '@ferry/adapters/http';
import { migrationSource } from '@ferry/adapters/migration';
import { ndjsonSink } from '@ferry/adapters/ndjson';
import { MappingStats, planFromMapping, staticMapsFromCatalog } from '@ferry/mapping';
import type { CompiledEntity, CompiledMapping, UserMap } from '@ferry/mapping';
import type { OdcRestTargetConfig, TargetConfig } from '../config/config-types.js';
import { odcAuth, odcLimiter } from '../connect/odc-connect.js';
import type { CliSession } from './cli-session.js';
import type { SourceParts } from './source-parts.js';

type SinkTarget = Exclude<TargetConfig, { kind: 'postgres' }>;

/** A built plan and what it holds open. */
export interface SinkPlan {
  readonly plan: Plan;
  readonly stats: MappingStats;
  /** Closes the id map (ODC). */
  close(): Promise<void>;
}

/** The folder of file checkpoints and the ODC id map. */
export function stateDir(session: CliSession): string {
  const state = session.loaded.config.state;
  return session.path(state?.kind === 'file' ? state.dir : '.ferry/state');
}

/** The target an entity goes to, as the plan and messages show it. */
export function sinkTargetLabel(target: SinkTarget, entity: CompiledEntity): string {
  return target.kind === 'ndjson'
    ? join(target.dir, `${entity.name}.ndjson`)
    : `ODC ${odcEntityName(entity)}`;
}

/**
 * The ODC entity name of a mapped entity, which names its `Upsert<Entity>` method: the target's
 * `entity` (`{ app, entity }` targets); else, for an O11 entity mapped to a table, the O11 entity's own
 * name (`Tag`, `ProductTag`: the ODC app keeps the O11 model's names, not the snake_case table name
 * the generated mapping gives PostgreSQL); else the target table in PascalCase (`product_tag` →
 * `ProductTag`).
 */
export function odcEntityName(entity: Pick<CompiledEntity, 'spec' | 'table'>): string {
  const { source, target } = entity.spec;
  if ('entity' in target) return target.entity;
  if ('entity' in source) return source.entity;
  return entity.table.table
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Throws when an entity cannot go to this target: rows in a reference cycle need a second pass that
 * updates rows, which neither an NDJSON file nor the ODC upsert API can; an NDJSON file records no
 * target ids, so `identity: "remap"` has nothing to remap to.
 */
export function checkSinkTarget(target: SinkTarget, entities: readonly CompiledEntity[]): void {
  for (const entity of entities) {
    if (entity.deferred.length > 0) {
      const cycle = (entity.cycle ?? [entity.name]).join(', ');
      throw new FerryError(
        `${entity.name} is in a reference cycle (${cycle}): target.kind "${target.kind}" cannot update rows in a second pass; exclude one reference attribute of the cycle or use a postgres target`,
        { code: 'FERRY_TARGET_CYCLE', reason: 'invalid-config', entity: entity.name, operation: 'plan' },
      );
    }
    if (target.kind === 'ndjson' && entity.identity === 'remap') {
      throw new FerryError(
        `${entity.name} has identity "remap", but an ndjson target issues no ids: use identity "preserve"`,
        { code: 'FERRY_TARGET_REMAP', reason: 'invalid-config', entity: entity.name, operation: 'plan' },
      );
    }
  }
}

function odcSinkFactory(
  target: OdcRestTargetConfig,
  env: NodeJS.ProcessEnv,
  idMap: IdMapStore,
  historyFile: string,
): (entity: CompiledEntity) => Sink<Row> {
  const auth = odcAuth(target, env);
  const limiter = odcLimiter(target, historyFile);
  return (entity) =>
    odcRestSink({
      baseUrl: target.baseUrl,
      entity: odcEntityName(entity),
      idMap,
      limiter,
      // Preserved ids travel as the key attribute(s); remapped entities' keys come from the mapping stage.
      key: entity.key.map((k) => k.target),
      ...(auth === undefined ? {} : { auth }),
      ...(target.maxRows === undefined ? {} : { maxRows: target.maxRows }),
      ...(target.maxBytes === undefined ? {} : { maxBytes: target.maxBytes }),
    });
}

/** Builds the run's plan into an NDJSON or ODC REST target. */
export async function sinkPlan(
  session: CliSession,
  parts: SourceParts,
  compiled: CompiledMapping,
  options: { entities: readonly string[]; checkpoints: CheckpointStore; userMap: UserMap },
): Promise<SinkPlan> {
  const { config } = session.loaded;
  const target = config.target;
  if (target.kind === 'postgres') throw new Error('sinkPlan is for ndjson and odc-rest targets');
  const wanted = new Set(options.entities);
  checkSinkTarget(
    target,
    compiled.entities.filter((e) => wanted.has(e.name)),
  );
  const idMap =
    target.kind === 'odc-rest'
      ? await JsonlIdMapStore.open(join(stateDir(session), `${session.runId}.ids.jsonl`))
      : undefined;
  const dir = target.kind === 'ndjson' ? session.path(target.dir) : '';
  const odc =
    target.kind === 'odc-rest' && idMap !== undefined
      ? odcSinkFactory(target, session.env, idMap, join(stateDir(session), `${session.runId}.requests.json`))
      : undefined;
  const stats = new MappingStats();
  try {
    const plan = planFromMapping(compiled, {
      source: (entity, pass) => migrationSource(parts.source, entity, parts.catalog, pass),
      sink: (entity) =>
        odc?.(entity) ??
        ndjsonSink({
          path: join(dir, `${entity.name}.ndjson`),
          columns: entity.table.columns.filter((c) => c.generated !== true).map((c) => c.name),
          checkpoints: options.checkpoints,
          name: entity.name,
        }),
      runtime: {
        statics: staticMapsFromCatalog(parts.catalog),
        stats,
        users: options.userMap,
        // ODC holds a parent row when the id map has its id; an NDJSON file cannot be asked.
        ...(idMap === undefined ? {} : { idMap, parents: idMapParentKeys(idMap) }),
      },
      entities: options.entities,
      ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
    });
    return { plan, stats, close: async () => idMap?.close() };
  } catch (error) {
    await idMap?.close();
    throw error;
  }
}
