// Test harness: runs the REAL `ferry` command in a child process (TypeScript sources through tsx, so no
// build is needed), and builds fixtures on the machine's real databases: an O11 sample in a fresh
// MariaDB database, a fresh PostgreSQL target schema and state schema. Everything is dropped after.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSampleO11Database, discoverO11Catalog } from '@ferry/adapters/o11';
import type { SampleO11Options } from '@ferry/adapters/o11';
import type { MappingSpec } from '@ferry/mapping';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import {
  checkSampleTarget,
  everyUserUnmatched,
  type SampleEntityCheck,
} from '../../adapters/test/fixtures/sample-target-check.js';

import { MARIADB_URL, PG_URL } from '../../adapters/test/fixtures/fresh-databases.js';

export { MARIADB_URL, PG_URL };

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'packages/cli/src/bin.ts');
/** The built command users run (`npx tsc -b` first): for measurements that tsx's loader would skew. */
const BUILT_BIN = join(ROOT, 'packages/cli/dist/bin.js');
// `--import tsx` resolves from the cwd, which is a temp folder: give the loader's absolute URL.
const TSX = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/** What a finished command printed and returned. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts `ferry <args>` from the TypeScript sources through tsx, or with `built` the compiled
 * `dist/bin.js` (tsx's loader alone holds ~80 MB, which a memory measurement must not count), or
 * with `entry` another TypeScript entry point that ends by loading src/bin.ts (a test's extra kind).
 */
export function spawnFerry(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; built?: boolean; entry?: string },
): ChildProcess {
  return spawn(process.execPath, ferryNodeArgs(args, options), {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The arguments of `node` that run `ferry <args>` (see {@link spawnFerry} for `built` and `entry`). */
export function ferryNodeArgs(
  args: readonly string[],
  options: { built?: boolean; entry?: string } = {},
): string[] {
  const node =
    options.built === true ? [BUILT_BIN] : ['--conditions=source', '--import', TSX, options.entry ?? BIN];
  return [...node, ...args];
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `ferry <args>` to completion. */
export function ferry(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; entry?: string },
): Promise<CliResult> {
  return finished(spawnFerry(args, options));
}

/** A random lower-case suffix. */
export function suffix(): string {
  return randomBytes(4).toString('hex');
}

/** A temp folder with a config file. */
export async function configDir(config: unknown, name = 'ferry.config.json'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-cli-'));
  await writeFile(join(dir, name), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return dir;
}

/** A sample O11 database in its own MariaDB database, plus a target and state schema in PostgreSQL. */
export interface Fixture {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly targetSchema: string;
  readonly stateSchema: string;
  readonly source: Knex;
  readonly target: pg.Pool;
  readonly config: Record<string, unknown>;
  /** `createSampleO11Database`'s options: what the independent data check regenerates. */
  readonly sample: { readonly rowsPerEntity: number; readonly seed: number };
  writeConfig(patch?: Record<string, unknown>): Promise<void>;
  drop(): Promise<void>;
}

/** The O11 database of a fixture: a fresh MariaDB database, or a fresh PostgreSQL database. */
export type SourceEngine = 'mariadb' | 'postgres';

async function openSource(
  engine: SourceEngine,
  database: string,
): Promise<{ url: string; client: 'mysql2' | 'pg'; drop: () => Promise<void> }> {
  if (engine === 'postgres') {
    const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    return {
      url: url.toString(),
      client: 'pg',
      async drop() {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const admin = knexFactory({ client: 'mysql2', connection: MARIADB_URL });
  await admin.raw(`CREATE DATABASE ${database}`);
  await admin.destroy();
  const url = new URL(MARIADB_URL);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    client: 'mysql2',
    async drop() {
      const admin2 = knexFactory({ client: 'mysql2', connection: MARIADB_URL });
      await admin2.raw(`DROP DATABASE IF EXISTS ${database}`);
      await admin2.destroy();
    },
  };
}

/**
 * Builds a fixture with `rowsPerEntity` rows of Product and Order (about 6x in total); the O11 sample
 * in MariaDB unless `engine` says PostgreSQL.
 */
export async function openFixture(
  rowsPerEntity: number,
  extra: Record<string, unknown> = {},
  sample: Omit<SampleO11Options, 'rowsPerEntity'> = {},
  targetUrl = PG_URL,
  engine: SourceEngine = 'mariadb',
): Promise<Fixture> {
  const id = suffix();
  const database = `ferry_cli_${id}`;
  const opened = await openSource(engine, database);
  const source = knexFactory({ client: opened.client, connection: opened.url });
  await createSampleO11Database(source, { ...sample, rowsPerEntity });
  const target = new pg.Pool({ connectionString: targetUrl, max: 2 });
  // A test that restarts its target cluster kills the idle clients: not an error of the test.
  target.on('error', () => undefined);
  const targetSchema = `ferry_cli_${id}`;
  const stateSchema = `ferry_state_${id}`;
  const dir = await mkdtemp(join(tmpdir(), 'ferry-cli-'));
  const config: Record<string, unknown> = {
    runId: `test-${id}`,
    source: { kind: 'o11-sql', client: opened.client, connection: { env: 'FERRY_TEST_SOURCE' } },
    target: {
      kind: 'postgres',
      connection: { env: 'FERRY_TEST_TARGET' },
      mode: 'copy',
      createTables: true,
      schema: targetSchema,
    },
    mapping: 'ferry.mapping.json',
    state: { kind: 'postgres', schema: stateSchema },
    // The sample has user references and the fixture no ODC users: say what they become, since `run`
    // refuses to turn them all into one value unasked (issue 13, case 7).
    users: { unmatched: 'empty-guid' },
    ...extra,
  };
  const fixture: Fixture = {
    dir,
    env: { FERRY_TEST_SOURCE: opened.url, FERRY_TEST_TARGET: targetUrl },
    targetSchema,
    stateSchema,
    source,
    target,
    config,
    sample: { rowsPerEntity, seed: sample.seed ?? 1 },
    async writeConfig(patch = {}) {
      await writeFile(join(dir, 'ferry.config.json'), JSON.stringify({ ...config, ...patch }, null, 2));
    },
    async drop() {
      await source.destroy();
      await opened.drop();
      await target.query(`DROP SCHEMA IF EXISTS ${targetSchema} CASCADE`);
      await target.query(`DROP SCHEMA IF EXISTS ${stateSchema} CASCADE`);
      await target.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await fixture.writeConfig();
  return fixture;
}

/** The physical table of an active O11 entity, resolved from OSSYS_ENTITY (names differ per environment). */
export async function physicalTable(source: Knex, entity: string): Promise<string> {
  const rows = (await source('OSSYS_ENTITY')
    .select('PHYSICAL_TABLE_NAME')
    .where({ NAME: entity, IS_ACTIVE: 1 })) as { PHYSICAL_TABLE_NAME: string }[];
  return rows[0]!.PHYSICAL_TABLE_NAME;
}

/**
 * Starts `ferry --verbose run <args>` in `fixture.dir` and resolves once stderr matches `progress`
 * (default: Sales.Order batches); fails after 120 s without it.
 */
export async function startRunUntil(
  fixture: Pick<Fixture, 'dir' | 'env'>,
  progress = /Sales\.Order: [\d,]+ of/,
  args: readonly string[] = [],
): Promise<{ child: ChildProcess; done: Promise<CliResult> }> {
  const child = spawnFerry(['--verbose', 'run', ...args], { cwd: fixture.dir, env: fixture.env });
  const done = finished(child);
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress seen: ${seen}`)), 120_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (progress.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, done };
}

/**
 * The highest resident set size of a running child, in bytes, until it exits: on Linux the kernel's
 * own peak (`VmHWM` in `/proc/<pid>/status`, read every `everyMs`, so no short peak is missed), else
 * `ps -o rss=` samples (macOS). Resolves when the child closes.
 */
export function peakRss(child: ChildProcess, everyMs = 200): Promise<number> {
  let peak = 0;
  const sample = (): void => {
    if (child.pid === undefined || child.exitCode !== null) return;
    if (process.platform === 'linux') {
      void readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (status) => (peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024)),
        () => undefined,
      );
      return;
    }
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(child.pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    ps.once('close', () => (peak = Math.max(peak, Number(out.trim() || 0) * 1024)));
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return new Promise((resolve) => {
    child.once('close', () => {
      clearInterval(timer);
      resolve(peak);
    });
  });
}

/**
 * The target compared row by row, by key, with the rows the sample's generators produced, converted
 * in the test independently of the mapping code (`ferry verify` builds its expected side with that
 * code). Reads the mapping `discover` wrote; every user reference is unmatched (no ODC users file).
 * Assert `expect(checks).toEqual(checks.map(sampleEntityEqual))`.
 */
export async function checkTarget(fixture: Fixture): Promise<SampleEntityCheck[]> {
  const mapping = JSON.parse(await readFile(join(fixture.dir, 'ferry.mapping.json'), 'utf8')) as MappingSpec;
  return checkSampleTarget({
    pool: fixture.target,
    schema: fixture.targetSchema,
    catalog: await discoverO11Catalog(fixture.source),
    mapping,
    ...fixture.sample,
    user: everyUserUnmatched,
  });
}

export { sampleEntityEqual } from '../../adapters/test/fixtures/sample-target-check.js';
