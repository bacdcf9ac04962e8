// The real `ferry` command on a namespace host, the way an operator would start it on another machine:
// the config (and mapping) copied into the host's own folder, the connection variables rewritten to the
// addresses that host reaches the databases at, and nothing else of the test process's environment.

import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ferryNodeArgs } from '../cli-harness.js';
import type { HostProcess } from './host-process.js';
import type { VirtualHost } from './host-network.js';

/** Copies `files` (names in `fromDir`, e.g. the config and the mapping) into the host's folder. */
export async function copyToHost(
  host: VirtualHost,
  fromDir: string,
  files: readonly string[],
): Promise<void> {
  for (const file of files) await copyFile(join(fromDir, file), join(host.dir, file));
}

/**
 * Starts `ferry <args>` on `host` in its folder. `urls` are environment variables holding database
 * URLs of this machine (`FERRY_TEST_SOURCE`, ...): each is passed rewritten to the host's address.
 */
export function startFerryOn(
  host: VirtualHost,
  args: readonly string[],
  urls: Readonly<Record<string, string | undefined>>,
): HostProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, url] of Object.entries(urls)) if (url !== undefined) env[name] = host.url(url);
  return host.start(process.execPath, ferryNodeArgs(args), env);
}
