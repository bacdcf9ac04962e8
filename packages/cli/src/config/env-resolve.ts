// Secrets come from the environment only: a config names the variable (`{ "env": "NAME" }`), this
// reads it. Kept apart from the loader so connection code needs no schema or validator.

import { FerryError } from '@ferry/core';
import type { EnvRef } from './config-types.js';

/**
 * Resolves an environment reference. The error names the variable, never a value.
 */
export function resolveEnv(ref: EnvRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[ref.env];
  if (value === undefined || value === '') {
    throw new FerryError(`${what}: environment variable ${ref.env} is not set`, {
      code: 'FERRY_CONFIG_ENV_MISSING',
      reason: 'invalid-config',
      operation: 'config.resolve',
    });
  }
  return value;
}
