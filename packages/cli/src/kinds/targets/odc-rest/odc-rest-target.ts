// `target.kind: "odc-rest"`: an ODC app's REST import API. An `odcRestSink` per entity, all sharing
// one request limiter, and a JSON Lines id map in the state folder (`<runId>.ids.jsonl`), so the
// mapping stage remaps references to the ids ODC issued, also after a resume.

import { join } from 'node:path';
import type { CompiledEntity } from '@ferry/mapping';
import { stateDir } from '../../../session/state-dir.js';
import type { TargetKind } from '../../kind-types.js';
import { refuseCycles } from '../refuse-cycles.js';
import { odcRestTargetSchema, type OdcRestTargetConfig } from './odc-rest-config.js';

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

/** The ODC REST target kind. */
export const odcRestTarget: TargetKind<OdcRestTargetConfig> = {
  kind: 'odc-rest',
  describe: "an ODC app's REST import API (one Upsert<Entity> method per entity)",
  schema: odcRestTargetSchema,
  commands: [],
  async plan(input) {
    const { session, config } = input;
    // Loaded when planning: a command that plans nothing does not hold the HTTP adapters.
    const [{ idMapParentKeys, JsonlIdMapStore, odcRestSink }, { mappingSinkPlan }, { odcAuth, odcLimiter }] =
      await Promise.all([
        import('@ferry/adapters/http'),
        import('../mapping-sink-plan.js'),
        import('./odc-connect.js'),
      ]);
    const idMap = await JsonlIdMapStore.open(join(stateDir(session), `${session.runId}.ids.jsonl`));
    try {
      const auth = odcAuth(config, session.env);
      const limiter = odcLimiter(config, join(stateDir(session), `${session.runId}.requests.json`));
      const sink = (entity: CompiledEntity) =>
        odcRestSink({
          baseUrl: config.baseUrl,
          entity: odcEntityName(entity),
          idMap,
          limiter,
          // Preserved ids travel as the key attribute(s); remapped entities' keys come from the mapping stage.
          key: entity.key.map((k) => k.target),
          ...(auth === undefined ? {} : { auth }),
          ...(config.maxRows === undefined ? {} : { maxRows: config.maxRows }),
          ...(config.maxBytes === undefined ? {} : { maxBytes: config.maxBytes }),
        });
      // ODC holds a parent row when the id map has its id.
      return await mappingSinkPlan(input, sink, { idMap, parents: idMapParentKeys(idMap) }, () =>
        idMap.close(),
      );
    } catch (error) {
      await idMap.close();
      throw error;
    }
  },
  label: (_config, entity) => `ODC ${odcEntityName(entity)}`,
  report: (config) => ({ kind: config.kind }),
  refuse: refuseCycles,
  starter: {
    config: {
      kind: 'odc-rest',
      baseUrl: 'https://example.outsystems.app/MyApp/rest/FerryImport',
      token: { env: 'ODC_TOKEN' },
    },
    notes: [
      "An ODC app's REST import API (docs/odc-endpoint-contract.md: one Upsert<Entity> method per",
      "entity). Replace baseUrl with your app's; ODC_TOKEN is the bearer token it expects.",
    ],
    env: ['ODC_TOKEN', "the bearer token of the app's REST API"],
  },
};
