// `target.kind: "ndjson"`: one `<entity>.ndjson` file per mapped entity in a folder, written by
// `ndjsonSink` with the file checkpoint store (a resumed run cuts the file back to its checkpoint).

import { join } from 'node:path';
import { FerryError } from '@ferry/core';
import type { TargetKind } from '../../kind-types.js';
import { refuseCycles } from '../refuse-cycles.js';

/** NDJSON files, one per entity. */
export interface NdjsonTargetConfig {
  readonly kind: 'ndjson';
  /** Folder of the `<entity>.ndjson` files (one per mapped entity, e.g. `Sales.Order.ndjson`). */
  readonly dir: string;
}

/** The NDJSON files target kind. */
export const ndjsonTarget: TargetKind<NdjsonTargetConfig> = {
  kind: 'ndjson',
  describe: 'one <Module>.<Entity>.ndjson file per entity in a folder',
  schema: {
    additionalProperties: false,
    required: ['kind', 'dir'],
    properties: { kind: { const: 'ndjson' }, dir: { type: 'string', minLength: 1 } },
  },
  commands: [],
  async plan(input) {
    const [{ ndjsonSink }, { mappingSinkPlan }] = await Promise.all([
      import('@ferry/adapters/ndjson'),
      import('../mapping-sink-plan.js'),
    ]);
    const dir = input.session.path(input.config.dir);
    return mappingSinkPlan(input, (entity) =>
      ndjsonSink({
        path: join(dir, `${entity.name}.ndjson`),
        columns: entity.table.columns.filter((c) => c.generated !== true).map((c) => c.name),
        checkpoints: input.checkpoints,
        name: entity.name,
      }),
    );
  },
  label: (config, entity) => join(config.dir, `${entity.name}.ndjson`),
  report: (config) => ({ kind: config.kind }),
  // An NDJSON file records no target ids, so `identity: "remap"` has nothing to remap to.
  refuse(config, entities) {
    for (const entity of entities) {
      refuseCycles(config, [entity]);
      if (entity.identity !== 'remap') continue;
      throw new FerryError(
        `${entity.name} has identity "remap", but an ndjson target issues no ids: use identity "preserve"`,
        { code: 'FERRY_TARGET_REMAP', reason: 'invalid-config', entity: entity.name, operation: 'plan' },
      );
    }
  },
  starter: {
    config: { kind: 'ndjson', dir: 'out' },
    notes: ['One <Module>.<Entity>.ndjson file per entity in this folder (relative to this file).'],
  },
};
