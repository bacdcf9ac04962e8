// `ferry --version` and `ferry init` through the built command (dist/bin.js, `npx tsc -b` first), in
// empty temp folders. The acceptance of issue 15 item 5: `ferry init` then `ferry run` from an empty
// folder against a sample O11 database on this machine's MariaDB into an empty PostgreSQL database,
// the target compared by key with the sample's generated rows (not with the mapping code).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkSampleModules,
  freshPgDatabase,
  freshSampleMariaDb,
} from '../../adapters/test/fixtures/fresh-databases.js';
import { sampleEntityEqual } from '../../adapters/test/fixtures/sample-target-check.js';
import { finished, spawnFerry, suffix, type CliResult } from './cli-harness.js';

const SAMPLE = { rowsPerEntity: 120, seed: 11 };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function emptyFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-init-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The built `ferry` in `cwd`, with only the given variables added to a clean environment. */
function built(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const clean = { O11_URL: '', ODC_URL: '', ...env };
  return finished(spawnFerry(args, { cwd, env: clean, built: true }));
}

describe('ferry --version and init', () => {
  it('--version prints the version of the package', async () => {
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    const result = await built(['--version'], await emptyFolder());
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('without flags and no terminal, says which flags to pass (exit 2) and writes nothing', async () => {
    const dir = await emptyFolder();
    const result = await built(['init'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --source mariadb|postgres|mssql|sqlite');
    await expect(readFile(join(dir, 'ferry.config.ts'))).rejects.toThrow();
    const bad = await built(['init', '--source', 'oracle', '--target', 'postgres'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--source must be one of mariadb, postgres, mssql, sqlite');
  });

  it('refuses to overwrite a file without --force, overwrites with it', async () => {
    const dir = await emptyFolder();
    await writeFile(join(dir, 'ferry.config.ts'), '// mine\n');
    const refused = await built(['init', '--source', 'sqlite', '--target', 'ndjson'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('ferry.config.ts exists; pass --force');
    expect(await readFile(join(dir, 'ferry.config.ts'), 'utf8')).toBe('// mine\n');
    const forced = await built(['init', '--source', 'sqlite', '--target', 'ndjson', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'ferry.config.ts'), 'utf8')).toContain("kind: 'ndjson'");
  });

  it('init then run from an empty folder: MariaDB → PostgreSQL, target equal to the source', async () => {
    const id = suffix();
    const source = await freshSampleMariaDb(`ferry_init_${id}`, SAMPLE);
    cleanups.push(() => source.drop());
    const target = await freshPgDatabase(`ferry_init_${id}`);
    cleanups.push(() => target.drop());
    const dir = await emptyFolder();

    const init = await built(['init', '--source', 'mariadb', '--target', 'postgres'], dir);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('O11_URL');
    expect(init.stdout).toContain('ODC_URL');
    const env = { O11_URL: source.url, ODC_URL: target.url };
    const run = await built(['run'], dir, env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const verify = await built(['verify'], dir, env);
    expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    const checks = await checkSampleModules(source.url, target.url, SAMPLE);
    expect(checks).toEqual(checks.map(sampleEntityEqual));
    // discover writes a mapping the starter config does not name yet, and says how to use it.
    const discover = await built(['discover'], dir, env);
    expect(discover.code, discover.stderr).toBe(0);
    expect(discover.stderr).toContain('set "mapping": "ferry.mapping.json" in ferry.config.ts');
  }, 240_000);
});
