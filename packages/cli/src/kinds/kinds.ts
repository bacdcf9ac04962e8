// The source and target kinds the CLI knows, one registration line each (README, "Adding a kind").
// The order is the order of help texts, `ferry init` and the error listing the kinds.

import { KindRegistry } from './kind-registry.js';
import { jsonSource } from './sources/json/json-source.js';
import { o11SqlSource } from './sources/o11-sql/o11-sql-source.js';
import { ndjsonTarget } from './targets/ndjson/ndjson-target.js';
import { odcRestTarget } from './targets/odc-rest/odc-rest-target.js';
import { postgresTarget } from './targets/postgres/postgres-target.js';

/** Every source and target kind; `kinds.sourceOf(config.source)` is how commands find theirs. */
export const kinds = new KindRegistry()
  .source(o11SqlSource)
  .source(jsonSource)
  .target(postgresTarget)
  .target(odcRestTarget)
  .target(ndjsonTarget);

/** The `source` block of a config: one of the registered source kinds' blocks. */
export type SourceConfig = NonNullable<(typeof kinds)['configs']>['source'];
/** The `target` block of a config: one of the registered target kinds' blocks. */
export type TargetConfig = NonNullable<(typeof kinds)['configs']>['target'];
