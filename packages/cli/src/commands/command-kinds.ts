// Commands that only make sense for some source or target kinds say so up front, in one line that
// names the command, the kind it needs and the kind the config has (exit 2), before opening anything.

import { FerryError } from '@ferry/core';
import type { FerryConfig } from '../config/config-types.js';

/** Throws `FERRY_SOURCE_KIND` unless the config's source is of the kind the command needs. */
export function requireSourceKind(
  command: string,
  config: FerryConfig,
  kind: FerryConfig['source']['kind'],
): void {
  if (config.source.kind === kind) return;
  throw new FerryError(
    `ferry ${command} needs source.kind "${kind}"; this config has "${config.source.kind}"`,
    { code: 'FERRY_SOURCE_KIND', reason: 'invalid-config', operation: command },
  );
}

/** Throws `FERRY_TARGET_KIND` unless the config's target is of the kind the command needs. */
export function requireTargetKind(
  command: string,
  config: FerryConfig,
  kind: FerryConfig['target']['kind'],
): void {
  if (config.target.kind === kind) return;
  throw new FerryError(
    `ferry ${command} needs target.kind "${kind}"; this config has "${config.target.kind}"`,
    { code: 'FERRY_TARGET_KIND', reason: 'invalid-config', operation: command },
  );
}
