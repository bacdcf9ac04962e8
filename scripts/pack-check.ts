// Packs @ferry/core, @ferry/mapping, @ferry/adapters and @ferry/cli with `pnpm pack` (which rewrites
// `workspace:*` and applies `publishConfig`), installs the tarballs with npm into a scratch project,
// type-checks a file that uses each package's public API under `moduleResolution` `nodenext` and
// `bundler`, imports every subpath at run time, and runs the installed `ferry --version`.
// Run it with `pnpm pack:check`; packages/cli/test/pack-install.integration.test.ts runs it too.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'mapping', 'adapters', 'cli'] as const;
const PNPM = ['-y', 'pnpm@12.4.2'];
const TSC = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');

/** What one check found; every step throws with the tool's output when it fails. */
export interface PackCheckResult {
  /** File names of the tarballs, e.g. `ferry-core-0.1.0.tgz`. */
  readonly tarballs: readonly string[];
  /** Every path in each tarball, by tarball file name. */
  readonly contents: Readonly<Record<string, readonly string[]>>;
  /** The packed package.json of each package, by package name. */
  readonly manifests: Readonly<Record<string, Record<string, unknown>>>;
  /** Output of the installed `ferry --version`, trimmed. */
  readonly version: string;
  /** The subpaths imported at run time in the scratch project. */
  readonly imported: readonly string[];
  /** Milliseconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/** The file the scratch project type-checks: the public API of each package, with a few types. */
export const CONSUMER_TS = `import {
  FerryError,
  MemoryCheckpointStore,
  errorCodes,
  mapRows,
  run,
  type Batch,
  type FerryErrorCode,
  type Row,
  type RunResult,
  type Sink,
  type Source,
} from '@ferry/core';
import { FakeSource } from '@ferry/core/testing';
import { parseMapping, type MappingSpec } from '@ferry/mapping';
import { postgresSink, type PgPool, type PostgresSinkOptions } from '@ferry/adapters/postgres';
import { knexSource, type KnexSourceOptions } from '@ferry/adapters/knex';
import { jsonSource } from '@ferry/adapters/json';
import { ndjsonSink } from '@ferry/adapters/ndjson';
import { discoverO11Catalog } from '@ferry/adapters/o11';
import { o11MigrationPlan } from '@ferry/adapters/migration';
import { odcRestSink } from '@ferry/adapters/http';
import { mssqlSource } from '@ferry/adapters/mssql';
import { OdcIdentityClient } from '@ferry/adapters/odc-identity';
import { resolveDistributedOptions, workDistributed } from '@ferry/adapters/distributed';
import { ExitCode, type FerryCodeConfig, type FerryConfig } from '@ferry/cli';

const code: FerryErrorCode = 'FERRY_SOURCE_READ';
const error = new FerryError('read failed', { code, reason: 'connection', entity: 'Customer' });
const meaning: string = errorCodes.FERRY_SOURCE_READ;
const upper = mapRows((row: Row) => ({ ...row, name: String(row['name']).toUpperCase() }));
const source: Source<Row> = FakeSource.synthetic(10);
const sink: Sink<Row> = {
  name: 'scratch',
  write: async (_batch: Batch<Row>) => undefined,
  close: async () => undefined,
};
const done: Promise<RunResult> = run({
  entities: [{ entity: 'Customer', source, stages: [upper], sink }],
}, { runId: 'scratch', checkpoints: new MemoryCheckpointStore() });
const spec: MappingSpec | undefined = undefined;
const parse: typeof parseMapping = parseMapping;
const sinkOptions: Partial<PostgresSinkOptions> = {};
const pool: PgPool | undefined = undefined;
const sourceOptions: Partial<KnexSourceOptions> = {};
const config: FerryConfig | undefined = undefined;
const codeConfig: FerryCodeConfig | undefined = undefined;
const usage: number = ExitCode.usage;

export const used = [
  error, meaning, done, spec, parse, sinkOptions, pool, sourceOptions, config, codeConfig, usage,
  postgresSink, knexSource, jsonSource, ndjsonSink, discoverO11Catalog, o11MigrationPlan, odcRestSink,
  mssqlSource, OdcIdentityClient, resolveDistributedOptions, workDistributed,
];
`;

/**
 * Subpaths imported at run time. `@ferry/adapters/mssql` (needs the optional peer `mssql`) and
 * `@ferry/core/testing` (needs the optional peer `vitest`) are type-checked but not imported.
 */
export const RUNTIME_IMPORTS = [
  '@ferry/core',
  '@ferry/mapping',
  '@ferry/adapters/postgres',
  '@ferry/adapters/knex',
  '@ferry/adapters/json',
  '@ferry/adapters/ndjson',
  '@ferry/adapters/o11',
  '@ferry/adapters/http',
  '@ferry/adapters/migration',
  '@ferry/adapters/distributed',
  '@ferry/adapters/odc-identity',
  '@ferry/adapters/http/testing',
  '@ferry/adapters/odc-identity/testing',
  '@ferry/cli',
] as const;

function tsconfig(resolution: 'nodenext' | 'bundler'): string {
  const compilerOptions = {
    target: 'ES2022',
    module: resolution === 'nodenext' ? 'nodenext' : 'esnext',
    moduleResolution: resolution,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
    types: ['node'],
  };
  return JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2);
}

async function step<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string; message?: string };
    throw new Error(
      `pack check: ${name} failed\n${output.stdout ?? ''}${output.stderr ?? output.message ?? ''}`,
      {
        cause: error,
      },
    );
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

/**
 * Runs the whole check in a new folder under the OS temp dir and removes it afterwards (also on
 * failure), unless `keep` is set. Throws naming the step (pack, install, tsc nodenext, tsc bundler,
 * import, ferry --version) with the tool's output.
 */
export async function packCheck(options: { readonly keep?: boolean } = {}): Promise<PackCheckResult> {
  const timings: Record<string, number> = {};
  const dir = await mkdtemp(join(tmpdir(), 'ferry-pack-'));
  try {
    const tarballDir = join(dir, 'tarballs');
    const scratch = join(dir, 'scratch');
    await mkdir(scratch, { recursive: true });
    await step(timings, 'build', () => run('npx', ['tsc', '-b'], { cwd: ROOT }));
    await step(timings, 'pack', () =>
      run('npx', [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballDir], {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      }),
    );
    const tarballs = (await readdir(tarballDir)).filter((file) => file.endsWith('.tgz')).sort();
    const contents: Record<string, string[]> = {};
    for (const file of tarballs) {
      const { stdout } = await run('tar', ['tzf', join(tarballDir, file)]);
      contents[file] = stdout.split('\n').filter((line) => line !== '');
    }
    const dependencies: Record<string, string> = { '@types/node': '^20.19.0' };
    for (const file of tarballs) {
      const name = `@ferry/${/^ferry-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)?.[1] ?? file}`;
      dependencies[name] = `file:../tarballs/${file}`;
    }
    await writeFile(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'ferry-scratch', private: true, type: 'module', dependencies }, null, 2),
    );
    await step(timings, 'install', () =>
      run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
        { cwd: scratch, maxBuffer: 16 * 1024 * 1024 },
      ),
    );
    const manifests: Record<string, Record<string, unknown>> = {};
    for (const name of PACKAGES) {
      const text = await readFile(join(scratch, 'node_modules', '@ferry', name, 'package.json'), 'utf8');
      manifests[`@ferry/${name}`] = JSON.parse(text) as Record<string, unknown>;
    }
    await writeFile(join(scratch, 'consumer.ts'), CONSUMER_TS);
    // The two checks are independent: run them side by side.
    await Promise.all(
      (['nodenext', 'bundler'] as const).map(async (resolution) => {
        await writeFile(join(scratch, `tsconfig.${resolution}.json`), tsconfig(resolution));
        await step(timings, `tsc ${resolution}`, () =>
          run(process.execPath, [TSC, '-p', `tsconfig.${resolution}.json`], { cwd: scratch }),
        );
      }),
    );
    const script = RUNTIME_IMPORTS.map((path) => `await import(${JSON.stringify(path)});`).join('\n');
    await step(timings, 'import', () =>
      run(process.execPath, ['--input-type=module', '-e', script], { cwd: scratch }),
    );
    const { stdout } = await step(timings, 'ferry --version', () =>
      run(join(scratch, 'node_modules', '.bin', 'ferry'), ['--version'], { cwd: scratch }),
    );
    return {
      tarballs,
      contents,
      manifests,
      version: stdout.trim(),
      imported: RUNTIME_IMPORTS,
      timings,
    };
  } finally {
    if (options.keep === true) console.error(`pack check: kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await packCheck({ keep: process.argv.includes('--keep') });
  console.log(`ferry --version: ${result.version}`);
  console.log(`tarballs: ${result.tarballs.join(', ')}`);
  console.log(`ms per step: ${JSON.stringify(result.timings)}`);
}
