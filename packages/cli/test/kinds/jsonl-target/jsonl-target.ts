// A target kind that lives outside src/: `{ "kind": "jsonl", "dir": "..." }` writes one
// `<entity>.jsonl` per entity through the existing `ndjsonSink`, and its `check` wants the folder to
// exist (it creates none). Registered by ../ferry-with-jsonl.ts with the same call kinds.ts uses,
// to show that a kind is its folder plus one registration line.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ndjsonSink } from '@ferry/adapters/ndjson';
import type { TargetKind } from '../../../src/kinds/kind-types.js';
import { mappingSinkPlan } from '../../../src/kinds/targets/mapping-sink-plan.js';
import { refuseCycles } from '../../../src/kinds/targets/refuse-cycles.js';

/** The `target` block of the test kind. */
export interface JsonlTargetConfig {
  readonly kind: 'jsonl';
  /** An existing folder of `<entity>.jsonl` files. */
  readonly dir: string;
}

/** JSON Lines files in an existing folder. */
export const jsonlTarget: TargetKind<JsonlTargetConfig> = {
  kind: 'jsonl',
  describe: 'one <entity>.jsonl file per entity in an existing folder (a test kind)',
  schema: {
    additionalProperties: false,
    required: ['kind', 'dir'],
    properties: { kind: { const: 'jsonl' }, dir: { type: 'string', minLength: 1 } },
  },
  commands: [],
  plan(input) {
    const dir = input.session.path(input.config.dir);
    return mappingSinkPlan(input, (entity) =>
      ndjsonSink({
        path: join(dir, `${entity.name}.jsonl`),
        columns: entity.table.columns.map((c) => c.name),
        checkpoints: input.checkpoints,
        name: entity.name,
      }),
    );
  },
  label: (config, entity) => `jsonl ${join(config.dir, `${entity.name}.jsonl`)}`,
  report: (config) => ({ kind: config.kind }),
  refuse: refuseCycles,
  tableCheck(session, config) {
    const missing = !existsSync(session.path(config.dir));
    return Promise.resolve(async (entity) =>
      missing
        ? [
            {
              kind: 'missing-table',
              entity: entity.name,
              expected: `folder ${config.dir}`,
              actual: 'does not exist',
            },
          ]
        : [],
    );
  },
};
