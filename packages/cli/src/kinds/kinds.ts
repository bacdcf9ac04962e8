// The source and target kinds the CLI knows, one registration line each (README, "Adding a kind"): the
// line imports the kind's folder and registers it, so adding a kind is its folder and one line here.
// The order is the order of help texts, `ferry init` and the error listing the kinds.

import { KindRegistry } from './kind-registry.js';

/** Every source and target kind; `kinds.sourceOf(config.source)` is how commands find theirs. */
export const kinds = new KindRegistry()
  .source((await import('./sources/o11-sql/o11-sql-source.js')).o11SqlSource)
  .source((await import('./sources/json/json-source.js')).jsonSource)
  .target((await import('./targets/postgres/postgres-target.js')).postgresTarget)
  .target((await import('./targets/odc-rest/odc-rest-target.js')).odcRestTarget)
  .target((await import('./targets/ndjson/ndjson-target.js')).ndjsonTarget);

/** The `source` block of a config: one of the registered source kinds' blocks. */
export type SourceConfig = NonNullable<(typeof kinds)['configs']>['source'];
/** The `target` block of a config: one of the registered target kinds' blocks. */
export type TargetConfig = NonNullable<(typeof kinds)['configs']>['target'];
