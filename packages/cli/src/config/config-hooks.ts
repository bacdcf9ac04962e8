// Code hooks a `ferry.config.ts` / `.js` may add to the JSON-shaped config: functions cannot live in
// JSON, so computed attributes, function filters and custom stages come from a module.

import type { Row, Stage } from '@ferry/core';
import type { MappingSpec } from '@ferry/mapping';
import type { FerryConfig } from './config-types.js';

/** Functions a code config adds. */
export interface ConfigHooks {
  /**
   * Adjusts the mapping (loaded from `mapping` or generated) before it is compiled: add `compute`
   * attributes, `filterFn`s, exclusions.
   */
  readonly mapping?: (spec: MappingSpec) => MappingSpec | Promise<MappingSpec>;
  /** Extra stages per entity (mapping name), run after the mapping stage, before the sink. */
  readonly stages?: Readonly<Record<string, readonly Stage<Row, Row>[]>>;
}

/**
 * The default export of a `ferry.config.ts`: the JSON config plus optional hooks.
 *
 * @example
 * ```ts
 * import type { FerryCodeConfig } from '@ferry/cli';
 * export default {
 *   source: { kind: 'o11-sql', client: 'mssql', connection: { env: 'O11_URL' } },
 *   target: { kind: 'postgres', connection: { env: 'ODC_URL' } },
 *   hooks: { stages: { 'Sales.Order': [myStage] } },
 * } satisfies FerryCodeConfig;
 * ```
 */
export interface FerryCodeConfig extends FerryConfig {
  readonly hooks?: ConfigHooks;
}
