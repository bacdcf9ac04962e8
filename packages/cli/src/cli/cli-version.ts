// The version `ferry --version` prints: the CLI package's own package.json, read once at start-up
// (the same relative path from src/cli and dist/cli), so a release never prints a stale constant.

import { readFileSync } from 'node:fs';

/** The `version` of @ferry/cli's package.json, e.g. `0.1.0`. */
export function cliVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
