// The four packages as npm would publish them: packed with pnpm, installed with npm into a scratch
// project that type-checks under moduleResolution nodenext and bundler, imports every subpath, and
// runs the installed `ferry --version` (scripts/pack-check.ts does the work).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { packCheck, type PackCheckResult } from '../../../scripts/pack-check.js';

const NAMES = ['@ferry/core', '@ferry/mapping', '@ferry/adapters', '@ferry/cli'];
const cliVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let result: PackCheckResult;

function tarballOf(name: string): readonly string[] {
  const file = `${name.replace('@', '').replace('/', '-')}-${String(result.manifests[name]?.['version'])}.tgz`;
  const contents = result.contents[file];
  if (contents === undefined) throw new Error(`no tarball ${file} among ${result.tarballs.join(', ')}`);
  return contents;
}

function exportTargets(manifest: Record<string, unknown>): string[] {
  const exports = manifest['exports'] as Record<string, Record<string, string>>;
  return Object.values(exports).flatMap((conditions) => Object.values(conditions));
}

describe('packed packages', () => {
  beforeAll(async () => {
    result = await packCheck();
  }, 180_000);

  it('install with npm, type-check under nodenext and bundler, import, and run ferry --version', () => {
    expect(result.tarballs).toHaveLength(4);
    expect(result.version).toBe(cliVersion);
    expect(Object.keys(result.timings)).toEqual(
      expect.arrayContaining(['tsc nodenext', 'tsc bundler', 'import', 'ferry --version']),
    );
  });

  it('ship dist, src, README and LICENSE, without build info', () => {
    for (const name of NAMES) {
      const files = tarballOf(name);
      expect(files, name).toContain('package/LICENSE');
      expect(files, name).toContain('package/README.md');
      expect(
        files.filter((file) => file.includes('tsbuildinfo')),
        name,
      ).toEqual([]);
      expect(
        files.filter((file) => !/^package\/(dist|src)\/|^package\/[^/]+$/.test(file)),
        name,
      ).toEqual([]);
    }
  });

  it('export types and import only, from files in the tarball; no workspace: range is left', () => {
    for (const name of NAMES) {
      const manifest = result.manifests[name]!;
      const files = tarballOf(name);
      for (const conditions of Object.values(manifest['exports'] as Record<string, object>))
        expect(Object.keys(conditions), name).toEqual(['types', 'import']);
      for (const target of exportTargets(manifest))
        expect(files, name).toContain(`package/${target.slice(2)}`);
      const ranges = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
        Object.values((manifest[field] as Record<string, string> | undefined) ?? {}),
      );
      expect(
        ranges.filter((range) => range.startsWith('workspace:')),
        name,
      ).toEqual([]);
      expect(manifest['engines'], name).toEqual({ node: '>=20.11' });
      expect(manifest['license'], name).toBe('MIT');
      expect(typeof manifest['description'], name).toBe('string');
    }
  });

  it('the cli has a bin without ./ and keeps drivers and the demo out of the libraries', () => {
    const cli = result.manifests['@ferry/cli']!;
    expect(cli['bin']).toEqual({ ferry: 'dist/bin.js' });
    expect(tarballOf('@ferry/cli')).toContain('package/dist/bin.js');
    expect(cli['optionalDependencies']).toHaveProperty('better-sqlite3');
    const meta = (name: string) => result.manifests[name]!['peerDependenciesMeta'] as Record<string, object>;
    for (const peer of ['mssql', 'tedious', 'oracledb'])
      expect(meta('@ferry/cli')[peer]).toEqual({ optional: true });
    for (const peer of ['mssql', 'pg', 'knex'])
      expect(meta('@ferry/adapters')[peer]).toEqual({ optional: true });
    for (const name of ['@ferry/core', '@ferry/mapping', '@ferry/adapters']) {
      const dependencies = Object.keys((result.manifests[name]!['dependencies'] as object | undefined) ?? {});
      expect(
        dependencies.filter((dep) => /pglite|better-sqlite3|mssql|oracledb|^pg$|^knex$/.test(dep)),
        name,
      ).toEqual([]);
    }
  });
});
