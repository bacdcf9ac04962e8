// A second, throw-away PostgreSQL cluster for tests that restart or stop the target: created with
// pg_createcluster on a free port (trust auth, the machine's PostgreSQL version), and always dropped
// again. The shared cluster on 5432 is never touched.

import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { suffix } from './cli-harness.js';

const run = promisify(execFile);

/** A running test cluster. */
export interface TestCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  /** `pg_ctlcluster <version> <name> <action> [...args]`, e.g. `restart -m fast`. */
  ctl(action: 'start' | 'stop' | 'restart', ...args: string[]): Promise<void>;
  /** Stops and removes the cluster (safe to call twice). */
  drop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Creates and starts a cluster; the caller drops it in `afterAll` (also after a failure). */
export async function createTestCluster(): Promise<TestCluster> {
  const version = (await readdir('/usr/lib/postgresql')).sort().at(-1)!;
  // The pid lets scripts/stale-clusters.sh drop the cluster once this process is gone (a killed run).
  const name = `ferry_t${suffix()}_p${process.pid}`;
  const port = await freePort();
  const ctl = async (action: string, ...args: string[]) => {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, action, ...args]);
  };
  let dropped = false;
  const cluster: TestCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    ctl,
    async drop() {
      if (dropped) return;
      dropped = true;
      await run('pg_dropcluster', ['--stop', version, name]);
    },
  };
  try {
    await run('pg_createcluster', [version, name, '-p', String(port), '--', '--auth=trust', '--no-sync']);
    await ctl('start');
  } catch (error) {
    await cluster.drop().catch(() => undefined);
    throw error;
  }
  return cluster;
}
